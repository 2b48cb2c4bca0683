package dev.collect.examples.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.collect.core.BatchPolicy;
import dev.collect.core.Collector;
import dev.collect.core.DeadLetter;
import dev.collect.core.DeadLetterSink;
import dev.collect.core.Envelope;
import dev.collect.core.FilePosition;
import dev.collect.core.Pipeline;
import dev.collect.core.PipelineBuilder;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import dev.collect.core.Source;
import dev.collect.core.Stage;
import dev.collect.core.Validator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * The clickstream ETL workload of {@code shared/bench/WORKLOAD.md}, built with the SDK: JSON Lines
 * source, Jackson collector, Bean Validation, the transform, a JSON Lines sink, and a dead-letter
 * sink that writes the workload's dead-letter lines.
 *
 * <pre>
 * java -cp ... dev.collect.examples.bench.ClickstreamEtl input.jsonl outdir [--workers N]
 * </pre>
 */
public final class ClickstreamEtl {
  private ClickstreamEtl() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2 || args[0].equals("--help")) {
      System.out.println("Usage: ClickstreamEtl <input.jsonl> <outdir> [--workers N]");
      return;
    }
    Path input = Path.of(args[0]);
    Path outDir = Path.of(args[1]);
    int workers = args.length >= 4 && args[2].equals("--workers") ? Integer.parseInt(args[3]) : 1;
    run(input, outDir, workers);
  }

  static void run(Path input, Path outDir, int workers) throws IOException {
    Files.createDirectories(outDir);
    Path output = outDir.resolve("output.jsonl");
    Path deadLetters = outDir.resolve("dead_letters.jsonl");
    Files.deleteIfExists(output);
    Files.deleteIfExists(deadLetters);

    ObjectMapper mapper = new ObjectMapper();
    BenchClock clock = new BenchClock("collect-sdk", workers, input);
    Pipeline pipeline =
        steps(
                Source.jsonLines(input),
                line -> clock.entered(((FilePosition) line.position()).line()),
                mapper,
                Sink.<OutputRecord>jsonLines(output, OutputRecord.class, mapper))
            .deadLetters(
                new WorkloadDeadLetters(
                    deadLetters, mapper, position -> ((Number) position.get("line")).longValue()))
            .workers(workers)
            .batch(BatchPolicy.ofRecords(1024))
            .name("clickstream-etl")
            .build();
    clock.start();
    RunReport report = pipeline.run();
    clock.stop();
    if (!report.invariantHolds()) {
      throw new IllegalStateException("invariant broken: " + report);
    }
    clock.report(output, deadLetters);
  }

  /**
   * The workload's steps from {@code source} to {@code sink}: parse (telling {@code entered} of
   * each raw record first), validate, transform.
   */
  static PipelineBuilder steps(
      Source<byte[]> source,
      Consumer<Envelope<byte[]>> entered,
      ObjectMapper mapper,
      Sink<OutputRecord> sink) {
    ObjectReader reader = mapper.readerFor(ClickEvent.class);
    ClickTransform transform = new ClickTransform();
    return Pipeline.from(source)
        .collect(
            "parse",
            (Collector<byte[], ClickEvent>)
                (raw, out) -> {
                  entered.accept(raw);
                  ClickEvent event = reader.readValue(raw.value());
                  out.emit(event);
                })
        .validate(Validator.bean(ClickEvent.class))
        .map("transform", transform::apply)
        .to(sink);
  }

  /**
   * Writes dead letters in the workload's form: line number (from the letter's position), reason,
   * the raw line.
   */
  static final class WorkloadDeadLetters implements DeadLetterSink {
    private final OutputStream out;
    private final com.fasterxml.jackson.databind.ObjectWriter writer;
    private final ToLongFunction<Map<String, Object>> lineOf;

    WorkloadDeadLetters(Path file, ObjectMapper mapper, ToLongFunction<Map<String, Object>> lineOf)
        throws IOException {
      this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
      this.writer = mapper.writerFor(DeadLetterLine.class);
      this.lineOf = lineOf;
    }

    @Override
    public String name() {
      return "workload-dead-letters";
    }

    @Override
    public synchronized void write(List<DeadLetter> letters) throws IOException {
      for (DeadLetter letter : letters) {
        String reason =
            letter.stage() == Stage.VALIDATE
                ? DeadLetterLine.invalid(letter.violations())
                : DeadLetterLine.MALFORMED;
        long line = lineOf.applyAsLong(letter.position());
        out.write(writer.writeValueAsBytes(new DeadLetterLine(line, reason, letter.payload())));
        out.write('\n');
      }
    }

    @Override
    public synchronized void flush() throws IOException {
      out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
      out.close();
    }
  }
}
