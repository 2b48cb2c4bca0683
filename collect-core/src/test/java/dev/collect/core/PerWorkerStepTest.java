package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.testing.TestSink;
import dev.collect.core.testing.TestSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code Flow.collectPerWorker} and {@code mapPerWorker}: one instance per thread, never shared.
 */
@Timeout(60)
class PerWorkerStepTest {

  static final int RECORDS = 4000;
  static final int WORKERS = 4;

  /** Remembers every thread that called it; deliberately not thread-safe in its own state. */
  static class Tracked {
    final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    int calls; // unsynchronised: only correct if one thread uses this instance

    void touch() {
      threads.add(Thread.currentThread());
      calls++;
    }
  }

  static TestSource<Integer> keyedSource() {
    List<Integer> values = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      values.add(i);
    }
    // Keys spread the records over every worker's lane.
    return TestSource.of(values).keyedBy(v -> "k" + (v % 97)).maxPerPoll(200);
  }

  @Test
  void eachCollectorInstanceIsUsedByExactlyOneWorkerThread() {
    List<TrackedCollector> made = new CopyOnWriteArrayList<>();
    AtomicInteger opened = new AtomicInteger();
    TestSink<Integer> sink = new TestSink<>();

    RunReport report =
        Pipeline.from(keyedSource())
            .collectPerWorker(
                () -> {
                  TrackedCollector c = new TrackedCollector(opened);
                  made.add(c);
                  return c;
                })
            .to(sink)
            .workers(WORKERS)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(made).hasSizeBetween(2, WORKERS);
    assertThat(report.written()).isEqualTo(RECORDS + made.size());
    assertThat(made).allSatisfy(c -> assertThat(c.threads).hasSize(1));
    assertThat(made.stream().flatMap(c -> c.threads.stream()).distinct()).hasSize(made.size());
    assertThat(made.stream().mapToInt(c -> c.calls).sum()).isEqualTo(RECORDS);
    assertThat(opened.get()).isEqualTo(made.size());
    assertThat(made).allSatisfy(c -> assertThat(c.endedOnce).isEqualTo(1));
    assertThat(sink.values()).hasSize(RECORDS + made.size());
  }

  @Test
  void eachMapInstanceIsUsedByExactlyOneWorkerThread() {
    List<Tracked> made = new CopyOnWriteArrayList<>();
    TestSink<Integer> sink = new TestSink<>();

    RunReport report =
        Pipeline.from(keyedSource())
            .mapPerWorker(
                () -> {
                  Tracked t = new Tracked();
                  made.add(t);
                  return (Integer v) -> {
                    t.touch();
                    return v * 2;
                  };
                })
            .to(sink)
            .workers(WORKERS)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.written()).isEqualTo(RECORDS);
    assertThat(made).hasSizeBetween(2, WORKERS);
    assertThat(made).allSatisfy(t -> assertThat(t.threads).hasSize(1));
    assertThat(made.stream().flatMap(t -> t.threads.stream()).distinct()).hasSize(made.size());
    assertThat(made.stream().mapToInt(t -> t.calls).sum()).isEqualTo(RECORDS);
  }

  /** Emits each input, and at the end of input one record (-1) per instance. */
  static final class TrackedCollector extends Tracked implements Collector<Integer, Integer> {
    private final AtomicInteger opened;
    volatile int endedOnce;

    TrackedCollector(AtomicInteger opened) {
      this.opened = opened;
    }

    @Override
    public void open(PipelineContext context) {
      opened.incrementAndGet();
    }

    @Override
    public void collect(Envelope<Integer> input, Output<Integer> output) {
      touch();
      output.emit(input.value());
    }

    @Override
    public void endOfInput(Output<Integer> output) {
      endedOnce++;
      output.emit(-1);
    }
  }
}
