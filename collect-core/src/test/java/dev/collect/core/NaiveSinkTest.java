package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.testing.TestSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A user's sink written without any thought of threads is safe under several workers. */
@Timeout(60)
class NaiveSinkTest {

  /** An ArrayList and a plain field: corrupted or lost writes if two threads ever overlap. */
  static final class NaiveSink implements Sink<Integer> {
    final List<Integer> rows = new ArrayList<>();
    int busy;
    int overlaps;
    int flushes;

    @Override
    public String name() {
      return "naive";
    }

    @Override
    public void write(List<Envelope<Integer>> batch) {
      enter();
      for (Envelope<Integer> e : batch) {
        rows.add(e.value());
        Thread.yield();
      }
      leave();
    }

    @Override
    public void flush() {
      enter();
      flushes++;
      leave();
    }

    private void enter() {
      if (busy++ != 0) {
        overlaps++;
      }
    }

    private void leave() {
      busy--;
    }
  }

  @Test
  void onlySinksThatTakeConcurrentCallsSaySo(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    assertThat(new NaiveSink().isThreadSafe()).isFalse();
    assertThat(Sink.<Integer>of("lambda", batch -> {}).isThreadSafe()).isFalse();
    assertThat(Sink.<Integer>jsonLines(dir.resolve("out.jsonl")).isThreadSafe()).isTrue();
    assertThat(Sink.<Integer>discard().isThreadSafe()).isTrue();
  }

  @Test
  void aSinkThatDoesNotSayItIsThreadSafeGetsOneCallerAtATime() {
    List<Integer> values = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      values.add(i);
    }
    NaiveSink sink = new NaiveSink();

    RunReport report =
        Pipeline.from(TestSource.of(values).keyedBy(i -> i % 64).maxPerPoll(500))
            .map(i -> i)
            .to(sink)
            .workers(4)
            .batch(BatchPolicy.ofRecords(16))
            .commitInterval(java.time.Duration.ofMillis(5))
            .build()
            .run();

    assertThat(sink.isThreadSafe()).isFalse();
    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.written()).isEqualTo(20_000);
    synchronized (sink) {
      assertThat(sink.overlaps).isZero();
      assertThat(sink.flushes).isPositive();
      assertThat(sink.rows).hasSize(20_000).doesNotContainNull().doesNotHaveDuplicates();
    }
  }
}
