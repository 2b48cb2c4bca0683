package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.testing.TestSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The root README's "a full pipeline stops polling its source (backpressure) instead of growing":
 * with the sink blocked, what the source hands out stops at the worker queue's bound plus the
 * records in flight (the batch in the blocked write and one poll waiting to enter the queue), and
 * nothing is lost once the sink moves again.
 */
@Timeout(90)
class BackpressureTest {

  @Test
  void aBlockedSinkStopsThePollsAtTheQueueBound() throws Exception {
    int queue = 200;
    int batch = 10;
    long handedOut =
        blockThenRelease(5_000, batch, builder -> builder.queueCapacity(queue, Long.MAX_VALUE));
    assertThat(handedOut).isBetween((long) queue, queue + 2L * batch);
  }

  @Test
  void theDefaultQueueHolds16384RecordsOfASmallRecordStream() throws Exception {
    int batch = BatchPolicy.DEFAULT_MAX_RECORDS;
    long handedOut = blockThenRelease(40_000, batch, builder -> builder);
    assertThat(handedOut).isBetween(16_384L, 16_384L + 2L * batch);
  }

  /**
   * Runs {@code total} integers through a sink that blocks its first write until the source is no
   * longer polled, then lets it go; returns how many records the source had handed out by then,
   * after checking that every record was written, in order.
   */
  private static long blockThenRelease(
      int total, int batch, java.util.function.UnaryOperator<PipelineBuilder> configure)
      throws Exception {
    List<Integer> input = IntStream.range(0, total).boxed().toList();
    CountingSource source = new CountingSource(TestSource.of(input).maxPerPoll(batch));
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> written = Collections.synchronizedList(new ArrayList<>());
    Sink<Integer> sink =
        new Sink<>() {
          @Override
          public String name() {
            return "blocked-until-released";
          }

          @Override
          public void write(List<Envelope<Integer>> records) throws InterruptedException {
            blocked.countDown();
            release.await();
            records.forEach(e -> written.add(e.value()));
          }
        };
    Pipeline pipeline =
        configure.apply(Pipeline.from(source).to(sink).batch(BatchPolicy.ofRecords(batch))).build();

    pipeline.start();
    assertThat(blocked.await(30, TimeUnit.SECONDS)).as("the sink was called").isTrue();
    long handedOut = awaitSteady(source.handedOut);
    release.countDown();
    RunReport report = pipeline.awaitTermination(Duration.ofSeconds(60));

    assertThat(handedOut).as("records handed out while the sink was blocked").isLessThan(total);
    assertThat(report.received()).isEqualTo(total);
    assertThat(written).containsExactlyElementsOf(input);
    assertThat(report.invariantHolds()).isTrue();
    return handedOut;
  }

  /** The counter's value once it has not moved for 500 ms (at most 20 s). */
  private static long awaitSteady(AtomicLong counter) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    long last = -1;
    while (System.nanoTime() < deadline) {
      long now = counter.get();
      if (now == last) {
        return now;
      }
      last = now;
      Thread.sleep(500);
    }
    throw new AssertionError("the source was still being polled after 20 s: " + last + " records");
  }

  /** Counts the records the pipeline took from the source. */
  private static final class CountingSource implements Source<Integer> {
    private final TestSource<Integer> delegate;
    final AtomicLong handedOut = new AtomicLong();

    CountingSource(TestSource<Integer> delegate) {
      this.delegate = delegate;
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public void open(PipelineContext context) {
      delegate.open(context);
    }

    @Override
    public List<Envelope<Integer>> poll(int maxRecords, Duration timeout) {
      List<Envelope<Integer>> polled = delegate.poll(maxRecords, timeout);
      handedOut.addAndGet(polled.size());
      return polled;
    }

    @Override
    public boolean isFinished() {
      return delegate.isFinished();
    }

    @Override
    public void commit(Position position) {
      delegate.commit(position);
    }
  }
}
