package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lines as long as {@code Source.jsonLines} allows (1 MiB), and dead letters holding them, with the
 * default batch and queue bounds, through a child JVM with a 256 MiB heap: polls, queues and sink
 * batches are bounded in bytes, not only in records (1,024 lines of 1 MiB in one poll would need a
 * gigabyte).
 */
class BoundedBytesTest {

  static final int LINES = 300;

  /** Just under {@code Source.jsonLines}' 1 MiB line limit. */
  static final int DATA_CHARS = (1 << 20) - 100;

  record Blob(String id, String data) {}

  @TempDir Path dir;

  @Test
  @Timeout(300)
  void linesOfOneMebibyteRunThroughTheJsonLinesAndDeadLetterSourcesInA256MiBHeap()
      throws Exception {
    Path in = dir.resolve("in.jsonl");
    String data = "x".repeat(DATA_CHARS);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(in), 1 << 16)) {
      for (int i = 0; i < LINES; i++) {
        out.write(("{\"id\":\"b" + i + "\",\"data\":\"" + data + "\"}\n").getBytes());
      }
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");

    Process child =
        new ProcessBuilder(
                java.toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                BoundedBytesTest.class.getName(),
                in.toString(),
                dir.resolve("dead.jsonl").toString())
            .redirectErrorStream(true)
            .start();
    String output;
    try (var stream = child.getInputStream()) {
      output = new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(child.waitFor(240, TimeUnit.SECONDS)).isTrue();

    assertThat(child.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("LINES received=300 written=200 deadLettered=100 filtered=0")
        .contains("REPLAY received=100 written=100 deadLettered=0 filtered=0");
  }

  @Test
  void aPollOfTheJsonLinesSourceEndsOnceItHoldsTheByteBound() throws Exception {
    Path in = dir.resolve("small.jsonl");
    Files.write(in, java.util.Collections.nCopies(40, "x".repeat(10_000)));
    List<Integer> sizes = new ArrayList<>();

    try (Source<byte[]> source = Source.jsonLines(in)) {
      source.open(
          new PipelineContext(
              "test",
              new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
              CheckpointStore.inMemory()));
      while (!source.isFinished()) {
        sizes.add(source.poll(1024, 50_000, java.time.Duration.ZERO).size());
      }
    }

    // 10,096 estimated bytes a line: the fifth line reaches 50,000 and ends the poll.
    assertThat(sizes).startsWith(5, 5, 5, 5, 5, 5, 5, 5).endsWith(0);
  }

  @Test
  void aSinkBatchEndsOnceItHoldsTheByteBound() {
    List<byte[]> lines = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      lines.add("x".repeat(10_000).getBytes(StandardCharsets.UTF_8));
    }
    List<Integer> batches = new java.util.concurrent.CopyOnWriteArrayList<>();

    RunReport report =
        Pipeline.from(dev.collect.core.testing.TestSource.of(lines))
            .to(Sink.of("sizes", (List<Envelope<byte[]>> batch) -> batches.add(batch.size())))
            .batch(
                BatchPolicy.ofRecords(1024)
                    .withMaxBytes(50_000)
                    .withLinger(java.time.Duration.ofSeconds(5)))
            .build()
            .run();

    assertThat(report.written()).isEqualTo(40);
    assertThat(report.invariantHolds()).isTrue();
    assertThat(batches).containsOnly(5).hasSize(8);
  }

  /** The child: one in three records is dead-lettered, then the dead letters are replayed. */
  public static void main(String[] args) {
    Path in = Path.of(args[0]);
    Path dead = Path.of(args[1]);
    RunReport lines =
        Pipeline.from(Source.jsonLines(in))
            .collect(Collector.json(Blob.class))
            .map(
                b -> {
                  if (Integer.parseInt(b.id().substring(1)) % 3 == 0) {
                    throw new IllegalArgumentException("every third blob is refused");
                  }
                  return b;
                })
            .to(Sink.discard())
            .deadLetters(DeadLetterSink.jsonLines(dead))
            .build()
            .run();
    print("LINES", lines);
    RunReport replay =
        Pipeline.from(Source.deadLetters(dead))
            .collect(Collector.json(Blob.class))
            .to(Sink.discard())
            .build()
            .run();
    print("REPLAY", replay);
  }

  private static void print(String label, RunReport r) {
    System.out.println(
        label
            + " received="
            + r.received()
            + " written="
            + r.written()
            + " deadLettered="
            + r.deadLettered()
            + " filtered="
            + r.filtered());
  }
}
