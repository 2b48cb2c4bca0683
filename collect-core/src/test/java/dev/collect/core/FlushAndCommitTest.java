package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.collect.core.testing.TestSink;
import dev.collect.core.testing.TestSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sinks are flushed on a flusher thread: reading and writing go on during a slow flush, and a
 * position is still committed only after a flush that began once its records were settled.
 */
@Timeout(60)
class FlushAndCommitTest {

  static final int RECORDS = 5_000;

  /** A thread-safe sink whose first flush blocks until released, noting what was written. */
  static final class SlowFlushSink implements Sink<String> {
    final TestSink<String> inner = new TestSink<>();
    final CountDownLatch flushing = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger writtenAtFirstFlush = new AtomicInteger(-1);

    /** "flush N" when a flush began with N records written, "commit I" for each commit. */
    final List<String> events = Collections.synchronizedList(new ArrayList<>());

    @Override
    public String name() {
      return "slow-flush";
    }

    @Override
    public void write(List<Envelope<String>> batch) {
      inner.write(batch);
    }

    @Override
    public void flush() throws InterruptedException {
      events.add("flush " + inner.size());
      if (writtenAtFirstFlush.compareAndSet(-1, inner.size())) {
        flushing.countDown();
        release.await();
      }
    }

    @Override
    public boolean isThreadSafe() {
      return true;
    }
  }

  static List<String> keyed(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("k" + (i % 8) + ":" + i);
    }
    return out;
  }

  static String keyOf(String value) {
    return value.substring(0, value.indexOf(':'));
  }

  @Test
  void readingGoesOnDuringASlowFlushAndCommitsWaitForIt() throws Exception {
    SlowFlushSink sink = new SlowFlushSink();
    TestSource<String> source =
        TestSource.of(keyed(RECORDS)).keyedBy(FlushAndCommitTest::keyOf).maxPerPoll(10).unbounded();
    Source<String> logged =
        new Source<>() {
          @Override
          public String name() {
            return source.name();
          }

          @Override
          public List<Envelope<String>> poll(int maxRecords, Duration timeout) {
            return source.poll(maxRecords, timeout);
          }

          @Override
          public void commit(Position position) {
            source.commit(position);
            sink.events.add("commit " + ((Position.SequencePosition) position).sequence());
          }
        };
    Pipeline pipeline =
        Pipeline.from(logged)
            .to(sink)
            .workers(2)
            .batch(BatchPolicy.ofRecords(10).withLinger(Duration.ZERO))
            .commitInterval(Duration.ofMillis(10))
            .build();

    pipeline.start();
    assertThat(sink.flushing.await(20, TimeUnit.SECONDS)).isTrue();
    // The flush is blocked: the reader still polls and the workers still write everything...
    assertThat(sink.inner.awaitSize(RECORDS, Duration.ofSeconds(20))).isTrue();
    // ...but nothing is committed before that flush has completed, and no second flush starts.
    assertThat(source.commits()).isEmpty();
    assertThat(sink.events).hasSize(1);
    sink.release.countDown();
    assertThat(source.awaitCommitted(RECORDS - 1, Duration.ofSeconds(20))).isTrue();
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    // Each commit covers only records written before the flush that preceded it began.
    long flushedBefore = -1;
    for (String event : List.copyOf(sink.events)) {
      long n = Long.parseLong(event.substring(event.indexOf(' ') + 1));
      if (event.startsWith("flush")) {
        flushedBefore = n;
      } else {
        assertThat(n).as(event).isLessThan(flushedBefore);
      }
    }
    assertThat(report.received()).isEqualTo(RECORDS);
    assertThat(report.received())
        .isEqualTo(report.written() + report.deadLettered() + report.filtered());
    Map<String, Integer> last = new HashMap<>();
    for (String v : sink.inner.values()) {
      int seq = Integer.parseInt(v.substring(v.indexOf(':') + 1));
      assertThat(seq)
          .as("order of key %s", keyOf(v))
          .isGreaterThan(last.getOrDefault(keyOf(v), -1));
      last.put(keyOf(v), seq);
    }
  }

  @Test
  void aFailingFlushCommitsNothing() {
    TestSource<String> source = TestSource.of(keyed(1_000)).maxPerPoll(10).unbounded();
    TestSink<String> written = new TestSink<>();
    Sink<String> failing =
        new Sink<>() {
          @Override
          public String name() {
            return "failing-flush";
          }

          @Override
          public void write(List<Envelope<String>> batch) {
            written.write(batch);
          }

          @Override
          public void flush() {
            throw new IllegalStateException("disk gone");
          }
        };

    Pipeline pipeline =
        Pipeline.from(source).to(failing).commitInterval(Duration.ofMillis(10)).build();

    assertThatThrownBy(pipeline::run).hasMessageContaining("nothing was committed");
    assertThat(source.commits()).isEmpty();
  }
}
