package dev.collect.examples.recommend;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Recommendation interactions: raw interaction events become implicit-feedback training rows (view
 * 1, click 2, add to cart 3, purchase 5, rating = its value) with device, location and session
 * context; users are pseudonymised and locations generalised; a rating without a value is a dead
 * letter.
 *
 * <pre>
 * java -cp ... dev.collect.examples.recommend.RecommendationInteractions [--events N] [--out DIR]
 * </pre>
 */
public final class RecommendationInteractions {
  private RecommendationInteractions() {}

  public static void main(String[] args) throws IOException {
    int events = 100_000;
    Path out = Path.of("collect-out/recommend");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--events" -> events = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default -> {
          System.out.println("Usage: RecommendationInteractions [--events N] [--out DIR]");
          return;
        }
      }
    }
    RunReport report = run(events, out);
    System.out.print(report.toTable());
    System.out.printf(
        Locale.ROOT,
        "%nTraining rows in %s (%,.0f records/s)%n",
        out.resolve("training.jsonl"),
        report.recordsPerSecond());
  }

  public static RunReport run(int events, Path out) throws IOException {
    Files.createDirectories(out);
    Path input = out.resolve("interactions.jsonl");
    Files.deleteIfExists(out.resolve("training.jsonl"));
    Files.deleteIfExists(out.resolve("dead-letters.jsonl"));
    generate(input, events);
    PrivacyKeys keys = PrivacyKeys.hmac("recommend-demo-key-change-me");
    return Pipeline.from(Source.jsonLines(input))
        .collect(Collector.json(Interaction.class))
        .validate(
            Validator.bean(Interaction.class)
                .and(
                    Validator.rule(
                        "rating",
                        "a rating needs a value",
                        i -> !i.type().equals("rating") || i.rating() != null)))
        .map(Privacy.forType(Interaction.class, keys)::apply)
        .map(TrainingRow::of)
        .to(Sink.jsonLines(out.resolve("training.jsonl")))
        .deadLetters(DeadLetterSink.jsonLines(out.resolve("dead-letters.jsonl")))
        .name("recommendation-interactions")
        .workers(2)
        .build()
        .run();
  }

  static void generate(Path file, int n) throws IOException {
    generate(file, n, 10_000, 11, Instant.parse("2026-11-24T08:00:00Z"));
  }

  /**
   * Writes {@code n} interaction lines of {@code users} users, one second apart from {@code start},
   * about 1 in 450 a rating without a value (invalid); the same seed gives the same file.
   */
  public static void generate(Path file, int n, int users, long seed, Instant start)
      throws IOException {
    String[] types = {
      "view", "view", "view", "view", "click", "click", "add_to_cart", "purchase", "rating"
    };
    String[] devices = {"mobile", "desktop", "tablet"};
    SplittableRandom random = new SplittableRandom(seed);
    Instant t = start;
    try (BufferedWriter w = Files.newBufferedWriter(file)) {
      for (int i = 0; i < n; i++) {
        String type = types[random.nextInt(types.length)];
        String rating =
            type.equals("rating") && random.nextInt(50) > 0
                ? Integer.toString(1 + random.nextInt(5))
                : "null";
        w.write(
            "{\"user_id\":\"u"
                + random.nextInt(users)
                + "\",\"item_id\":\"i"
                + random.nextInt(2_000)
                + "\",\"type\":\""
                + type
                + "\",\"rating\":"
                + rating
                + ",\"device\":\""
                + devices[random.nextInt(devices.length)]
                + "\",\"location\":\"192.168."
                + random.nextInt(256)
                + "."
                + random.nextInt(256)
                + "\",\"session_id\":\"s"
                + random.nextInt(30_000)
                + "\",\"timestamp\":\""
                + t.plusSeconds(i)
                + "\"}\n");
      }
    }
  }
}
