package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.testing.TestSink;
import dev.collect.core.testing.TestSource;
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

  @Test
  @Timeout(60)
  void aPollOfTheDeadLetterSourceEndsOnceItHoldsTheByteBound() throws Exception {
    Path dead = deadLetters(40, 10_000);
    List<List<Envelope<byte[]>>> polls = new ArrayList<>();

    try (Source<byte[]> source = Source.deadLetters(dead)) {
      source.open(context());
      while (!source.isFinished()) {
        polls.add(source.poll(1024, 50_000, java.time.Duration.ZERO));
      }
    }

    // A letter counts its payload and the line it was read from: a poll ends once those reach
    // 50,000 bytes. The lines differ by a few bytes of position at most, far from a poll's edge.
    long counted = 10_000 + Files.readAllLines(dead).get(0).getBytes(StandardCharsets.UTF_8).length;
    int perPoll = (int) ((50_000 + counted - 1) / counted);
    assertThat(perPoll).isBetween(2, 4);
    assertThat(polls.stream().mapToInt(List::size).sum()).isEqualTo(40);
    assertThat(polls.subList(0, 40 / perPoll))
        .allSatisfy(poll -> assertThat(poll).hasSize(perPoll));
    assertThat(polls.subList(0, polls.size() - 1))
        .allSatisfy(
            poll -> {
              assertThat(poll).hasSizeBetween(1, 5);
              long beforeLast = 0;
              for (Envelope<byte[]> e : poll.subList(0, poll.size() - 1)) {
                beforeLast += e.sizeEstimate();
              }
              assertThat(beforeLast).isLessThan(50_000);
            });
  }

  @Test
  @Timeout(60)
  void aPollTakesOneRecordLargerThanItsByteBound() throws Exception {
    Path lines = dir.resolve("lines.jsonl");
    Files.write(lines, java.util.Collections.nCopies(3, "x".repeat(10_000)));
    Path dead = deadLetters(3, 10_000);

    for (Source<byte[]> source : List.of(Source.jsonLines(lines), Source.deadLetters(dead))) {
      List<Integer> sizes = new ArrayList<>();
      try (source) {
        source.open(context());
        while (!source.isFinished()) {
          sizes.add(source.poll(1024, 1, java.time.Duration.ZERO).size());
        }
      }

      assertThat(sizes).as(source.name()).startsWith(1, 1, 1).containsOnly(1, 0);
    }
  }

  @Test
  @Timeout(60)
  void aRecordLargerThanEveryByteBoundStillPassesThroughThePipeline() throws Exception {
    Path in = dir.resolve("big.jsonl");
    String big = "{\"data\":\"" + "x".repeat(100_000) + "\"}";
    Files.write(in, List.of("{\"n\":1}", big, "{\"n\":2}"));
    TestSink<byte[]> sink = new TestSink<>();

    RunReport report =
        Pipeline.from(Source.jsonLines(in))
            .to(sink)
            .batch(BatchPolicy.ofRecords(1024).withMaxBytes(1_000))
            .queueCapacity(16, 1_000)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.written()).isEqualTo(3);
    assertThat(sink.values())
        .extracting(b -> new String(b, StandardCharsets.UTF_8))
        .containsExactly("{\"n\":1}", big, "{\"n\":2}");
  }

  /** A dead-letter file of {@code count} letters, each with a payload of {@code bytes} bytes. */
  private Path deadLetters(int count, int bytes) {
    Path dead = dir.resolve("dead-" + count + ".jsonl");
    List<byte[]> payloads =
        java.util.Collections.nCopies(count, "x".repeat(bytes).getBytes(StandardCharsets.UTF_8));

    RunReport report =
        Pipeline.from(TestSource.of(payloads))
            .map(
                b -> {
                  throw new IllegalArgumentException("refused");
                })
            .to(new TestSink<>())
            .deadLetters(DeadLetterSink.jsonLines(dead))
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.deadLettered()).isEqualTo(count);
    return dead;
  }

  private static PipelineContext context() {
    return new PipelineContext(
        "test",
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
        CheckpointStore.inMemory());
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
