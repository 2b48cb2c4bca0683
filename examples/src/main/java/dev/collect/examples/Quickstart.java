package dev.collect.examples;

import dev.collect.core.Collector;
import dev.collect.core.DeadLetterSink;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import dev.collect.core.Source;
import dev.collect.core.Validator;
import dev.collect.core.privacy.Privacy;
import dev.collect.core.privacy.PrivacyKeys;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The quickstart: no servers. Generates synthetic click events (some malformed, some invalid), then
 * collects them: JSON to {@link ClickEvent}, Bean Validation, pseudonymisation of the user and
 * generalisation of the IP, into {@code collect-out/clicks.jsonl}, with dead letters in {@code
 * collect-out/dead-letters.jsonl}. Shows progress and prints the run report.
 */
public final class Quickstart {
  private Quickstart() {}

  public static void main(String[] args) throws IOException {
    Options options = Options.parse(args);
    if (options == null) {
      System.out.println(
          """
          Usage: Quickstart [--records N] [--out DIR] [--workers N]
            --records N   click events to generate (default 300000)
            --out DIR     output directory (default ./collect-out)
            --workers N   worker threads (default 2)""");
      return;
    }
    RunReport report = run(options.records, options.out, options.workers, true);
    if (!report.invariantHolds()) {
      System.exit(1);
    }
  }

  /** Generates the input and runs the pipeline; prints progress when {@code verbose}. */
  public static RunReport run(int records, Path out, int workers, boolean verbose)
      throws IOException {
    Files.createDirectories(out);
    Path input = out.resolve("quickstart-input.jsonl");
    Path clicks = out.resolve("clicks.jsonl");
    Path deadLetters = out.resolve("dead-letters.jsonl");
    Files.deleteIfExists(clicks);
    Files.deleteIfExists(deadLetters);
    generate(input, records);
    if (verbose) {
      System.out.printf(Locale.ROOT, "Generated %,d click events in %s%n", records, input);
    }

    // In production the key comes from your secret store, never from code.
    PrivacyKeys keys = PrivacyKeys.hmac("quickstart-demo-key-change-me");
    RunReport report =
        Pipeline.from(Source.jsonLines(input))
            .collect(Collector.json(ClickEvent.class))
            .validate(Validator.bean(ClickEvent.class))
            .map(Privacy.forType(ClickEvent.class, keys)::apply)
            .to(Sink.jsonLines(clicks))
            .deadLetters(DeadLetterSink.jsonLines(deadLetters))
            .name("quickstart")
            .workers(workers)
            .progress(
                Duration.ofMillis(500),
                r -> {
                  if (verbose) {
                    System.out.printf(
                        Locale.ROOT,
                        "  ... %,d read, %,d written, %,d dead-lettered%n",
                        r.sourceRecords(),
                        r.written(),
                        r.deadLettered());
                  }
                })
            .build()
            .run();

    if (verbose) {
      System.out.println();
      System.out.print(report.toTable());
      System.out.printf(
          Locale.ROOT,
          "%nWrote %s and %s (%,.0f records/s)%n",
          clicks,
          deadLetters,
          report.recordsPerSecond());
    }
    return report;
  }

  /** Writes {@code n} events: 1 % cut short (malformed), 2 % breaking a rule (invalid). */
  public static void generate(Path file, int n) throws IOException {
    String[] types = {"view", "view", "view", "click", "click", "add_to_cart", "purchase"};
    SplittableRandom random = new SplittableRandom(7);
    Instant start = Instant.parse("2026-11-24T00:00:00Z");
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < n; i++) {
        String type = types[random.nextInt(types.length)];
        int position = random.nextInt(50);
        int roll = random.nextInt(100);
        if (roll == 0) {
          type = "hover";
        } else if (roll == 1) {
          position = -1;
        }
        String line =
            "{\"event_id\":\"evt-"
                + i
                + "\",\"user_id\":\"user-"
                + random.nextInt(50_000)
                + "\",\"event_type\":\""
                + type
                + "\",\"item_id\":\"item-"
                + random.nextInt(5_000)
                + "\",\"position\":"
                + position
                + ",\"ip\":\"10."
                + random.nextInt(256)
                + "."
                + random.nextInt(256)
                + "."
                + random.nextInt(256)
                + "\",\"timestamp\":\""
                + start.plusMillis(i * 10L)
                + "\"}";
        if (roll == 2) {
          line = line.substring(0, line.length() / 2);
        }
        out.write(line);
        out.write('\n');
      }
    }
  }

  private record Options(int records, Path out, int workers) {
    static Options parse(String[] args) {
      int records = 300_000;
      Path out = Path.of("collect-out");
      int workers = 2;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--records" -> records = Integer.parseInt(args[++i]);
          case "--out" -> out = Path.of(args[++i]);
          case "--workers" -> workers = Integer.parseInt(args[++i]);
          default -> {
            return null;
          }
        }
      }
      return new Options(records, out, workers);
    }
  }
}
