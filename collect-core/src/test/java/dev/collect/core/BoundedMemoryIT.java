package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.fixtures.Click;
import dev.collect.core.testing.TestDeadLetterSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Five million records through a JVM with a 128 MiB heap: memory does not grow with the input. */
class BoundedMemoryIT {

  static final long RECORDS = 5_000_000;

  @Test
  @Timeout(300)
  void fiveMillionRecordsRunInA128MiBHeap() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(
                java.toString(),
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                BoundedMemoryIT.class.getName())
            .redirectErrorStream(true)
            .start();
    String output;
    try (var in = child.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(child.waitFor(240, TimeUnit.SECONDS)).isTrue();

    assertThat(child.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("RESULT received=5000000 written=4950000 deadLettered=50000 filtered=0");
  }

  /** The child: a generated source far larger than the heap, through the whole runtime. */
  public static void main(String[] args) throws IOException {
    LongAdder written = new LongAdder();
    TestDeadLetterSink dead = new TestDeadLetterSink();
    DeadLetterSink counting =
        new DeadLetterSink() {
          final LongAdder n = new LongAdder();

          @Override
          public String name() {
            return "counting";
          }

          @Override
          public void write(List<DeadLetter> letters) {
            n.add(letters.size());
          }
        };
    Sink<Click> sink =
        new Sink<>() {
          @Override
          public String name() {
            return "counting";
          }

          @Override
          public void write(List<Envelope<Click>> batch) {
            written.add(batch.size());
          }
        };
    RunReport report =
        Pipeline.from(new Generator(RECORDS))
            .collect(Collector.json(Click.class))
            .validate(Validator.bean(Click.class))
            .to(sink)
            .deadLetters(counting)
            .workers(2)
            .build()
            .run();
    System.out.println(
        "RESULT received="
            + report.received()
            + " written="
            + report.written()
            + " deadLettered="
            + report.deadLettered()
            + " filtered="
            + report.filtered());
    System.out.println(
        "heap used MiB="
            + (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / (1 << 20));
    if (!report.invariantHolds() || written.sum() != report.written() || dead.size() != 0) {
      System.exit(2);
    }
  }

  /** Makes records on demand; one in a hundred is malformed. */
  static final class Generator implements Source<byte[]> {
    private final long total;
    private long next;

    Generator(long total) {
      this.total = total;
    }

    @Override
    public String name() {
      return "generator";
    }

    @Override
    public List<Envelope<byte[]>> poll(int max, Duration timeout) {
      List<Envelope<byte[]>> out = new ArrayList<>(max);
      Instant now = Instant.now();
      for (int i = 0; i < max && next < total; i++, next++) {
        String json = Click.json((int) next);
        if (next % 100 == 7) {
          json = json.substring(0, 10);
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        out.add(
            Envelope.builder(bytes)
                .raw(bytes)
                .position(Position.sequence(next))
                .ingestTime(now)
                .build());
      }
      return out;
    }

    @Override
    public boolean isFinished() {
      return next >= total;
    }
  }
}
