package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.core.testing.TestSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class OrderingAndCommitTest {

  /** "key:sequence" values over 16 keys. */
  static List<String> keyed(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("k" + (i % 16) + ":" + i);
    }
    return out;
  }

  static String keyOf(String value) {
    return value.substring(0, value.indexOf(':'));
  }

  @Test
  void recordsWithEqualKeysAreWrittenInSourceOrderWithFourWorkers() {
    TestSink<String> sink = new TestSink<>();
    // A sink that sleeps at random makes the workers finish out of order.
    Sink<String> jittery =
        Sink.of(
            "jittery",
            batch -> {
              Thread.sleep(ThreadLocalRandom.current().nextInt(3));
              sink.write(batch);
            });

    RunReport report =
        Pipeline.from(
                TestSource.of(keyed(20_000)).keyedBy(OrderingAndCommitTest::keyOf).maxPerPoll(500))
            .map(String::toUpperCase)
            .to(new ThreadSafe<>(jittery))
            .workers(4)
            .batch(BatchPolicy.ofRecords(64))
            .build()
            .run();

    assertThat(report.written()).isEqualTo(20_000);
    assertThat(report.invariantHolds()).isTrue();
    Map<String, Integer> last = new HashMap<>();
    for (String v : sink.values()) {
      String key = keyOf(v);
      int seq = Integer.parseInt(v.substring(v.indexOf(':') + 1));
      assertThat(seq).as("order of key %s", key).isGreaterThan(last.getOrDefault(key, -1));
      last.put(key, seq);
    }
  }

  @Test
  void outOfOrderCompletionCommitsOnlyTheSettledPrefix() throws Exception {
    // Key k0 is slow: its worker finishes long after the others.
    CountDownLatch release = new CountDownLatch(1);
    Semaphore flushes = new Semaphore(0);
    TestSink<String> sink = new TestSink<>();
    Sink<String> slowForK0 =
        new Sink<>() {
          @Override
          public String name() {
            return "slow-k0";
          }

          @Override
          public void write(List<Envelope<String>> batch) throws Exception {
            boolean hasK0 = batch.stream().anyMatch(e -> keyOf(e.value()).equals("k0"));
            if (hasK0) {
              release.await();
            }
            sink.write(batch);
          }

          @Override
          public void flush() {
            flushes.release(); // the reader flushes the sinks before every commit
          }

          @Override
          public boolean isThreadSafe() {
            return true; // the other lanes must write while k0's batch waits
          }
        };
    List<String> values = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      values.add((i == 0 ? "k0" : "k" + (1 + i % 7)) + ":" + i);
    }
    // Unbounded: a finished bounded source commits nothing until the workers have drained.
    TestSource<String> source =
        TestSource.of(values).keyedBy(OrderingAndCommitTest::keyOf).maxPerPoll(10).unbounded();
    Pipeline pipeline =
        Pipeline.from(source)
            .to(slowForK0)
            .workers(4)
            .batch(BatchPolicy.ofRecords(10).withLinger(Duration.ZERO))
            .commitInterval(Duration.ofMillis(10))
            .build();

    pipeline.start();
    // The lanes of the other workers go on; the first batch holds k0 and stays unsettled.
    assertThat(sink.awaitSize(100, Duration.ofSeconds(20))).isTrue();
    // Two flushes from now, the reader has made at least one whole commit attempt since.
    flushes.drainPermits();
    assertThat(flushes.tryAcquire(2, 20, TimeUnit.SECONDS)).isTrue();

    assertThat(source.commits()).isEmpty();

    release.countDown();
    assertThat(source.awaitCommitted(399, Duration.ofSeconds(20))).isTrue();
    RunReport report = pipeline.stop(Duration.ofSeconds(20));
    assertThat(report.status()).isEqualTo(RunReport.Status.STOPPED);
    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.written()).isEqualTo(400);
    assertThat(source.lastCommitted()).isEqualTo(399);
    assertThat(source.commits()).isSorted();
  }

  @Test
  void aRestartFromTheCommittedPositionRedeliversOnlyTheUncommittedTail() throws Exception {
    List<String> values = keyed(1000);
    TestSink<String> first = new TestSink<>();
    CountDownLatch unblocked = new CountDownLatch(1);
    Sink<String> blocksAfter600 =
        new ThreadSafe<>(
            Sink.of(
                "blocks",
                batch -> {
                  int seq = Integer.parseInt(batch.get(0).value().split(":")[1]);
                  if (seq >= 600) {
                    unblocked.await();
                  }
                  first.write(batch);
                }));
    TestSource<String> source = TestSource.of(values).maxPerPoll(100).unbounded();
    Pipeline crashed =
        Pipeline.from(source)
            .to(blocksAfter600)
            .batch(BatchPolicy.ofRecords(100).withLinger(Duration.ZERO))
            .commitInterval(Duration.ofMillis(10))
            .build();
    crashed.start();
    assertThat(first.awaitSize(600, Duration.ofSeconds(20))).isTrue();
    // The commit of the settled 600 comes on the reader's next commit interval.
    assertThat(source.awaitCommitted(599, Duration.ofSeconds(20))).isTrue();
    // A stop that cannot drain within its time is the crash: the blocked batch stays unsettled.
    RunReport partial = crashed.stop(Duration.ofMillis(200));
    unblocked.countDown();
    long committed = source.lastCommitted();

    assertThat(committed).isEqualTo(599);
    assertThat(partial.inFlight()).isPositive();

    TestSink<String> second = new TestSink<>();
    RunReport rest =
        Pipeline.from(TestSource.of(values).resumeAfter(committed)).to(second).build().run();

    assertThat(rest.invariantHolds()).isTrue();
    assertThat(second.values()).isEqualTo(values.subList(600, 1000));
  }

  @Test
  void stopInTheMiddleDrainsFlushesAndCommits() throws Exception {
    TestSink<String> sink = new TestSink<>();
    // An endless source: a stop is the only way out.
    Source<String> endless =
        new Source<>() {
          long next;
          final List<Long> commits = new ArrayList<>();

          @Override
          public String name() {
            return "endless";
          }

          @Override
          public List<Envelope<String>> poll(int max, Duration timeout) {
            List<Envelope<String>> out = new ArrayList<>();
            for (int i = 0; i < 50; i++, next++) {
              out.add(Envelope.builder("v" + next).position(Position.sequence(next)).build());
            }
            return out;
          }

          @Override
          public void commit(Position position) {
            commits.add(((Position.SequencePosition) position).sequence());
          }
        };
    Pipeline pipeline =
        Pipeline.from(endless).to(sink).deadLetters(new TestDeadLetterSink()).workers(2).build();

    pipeline.start();
    assertThat(sink.awaitSize(5000, Duration.ofSeconds(20))).isTrue();
    assertThat(pipeline.isReady()).isTrue();
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    assertThat(report.status()).isEqualTo(RunReport.Status.STOPPED);
    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.written()).isEqualTo(sink.size());
    assertThat(sink.flushes()).isPositive();
    assertThat(pipeline.isReady()).isFalse();
  }

  /** Marks a sink thread-safe so that the test exercises concurrent writes. */
  static final class ThreadSafe<T> implements Sink<T> {
    private final Sink<T> delegate;

    ThreadSafe(Sink<T> delegate) {
      this.delegate = delegate;
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public void write(List<Envelope<T>> batch) throws Exception {
      delegate.write(batch);
    }

    @Override
    public boolean isThreadSafe() {
      return true;
    }
  }
}
