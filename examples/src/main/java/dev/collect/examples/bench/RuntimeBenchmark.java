package dev.collect.examples.bench;

import dev.collect.core.BatchPolicy;
import dev.collect.core.Collector;
import dev.collect.core.Envelope;
import dev.collect.core.Pipeline;
import dev.collect.core.Position;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import dev.collect.core.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The runtime's own cost: a source handing out prepared envelopes, a trivial collector and a
 * discarding sink, batch 1024. Throughput is records per second.
 *
 * <p>Run from the repository root: {@code mvn -q -pl examples -am -DskipTests package
 * exec:exec@runtime-bench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgs = {"-Xms1g", "-Xmx1g"})
public class RuntimeBenchmark {
  static final int RECORDS = 2_000_000;

  @Param({"1", "2"})
  public int workers;

  private List<Envelope<Long>> prepared;

  @Setup(Level.Trial)
  public void prepare() {
    prepared = new ArrayList<>(RECORDS);
    Instant now = Instant.now();
    for (long i = 0; i < RECORDS; i++) {
      prepared.add(Envelope.builder(i).position(Position.sequence(i)).ingestTime(now).build());
    }
  }

  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public RunReport pipeline() {
    return Pipeline.from(new PreparedSource<>(prepared))
        .collect(Collector.<Long, Long>map(v -> v))
        .to(Sink.<Long>discard())
        .workers(workers)
        .batch(BatchPolicy.ofRecords(1024))
        .build()
        .run();
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0) {
      System.out.println(
          "Usage: RuntimeBenchmark (no options; JMH, forks a JVM with this JVM's class path)");
      return;
    }
    new Runner(new OptionsBuilder().include(RuntimeBenchmark.class.getSimpleName()).build()).run();
  }

  /** Hands out views of a prepared list: the source costs next to nothing. */
  static final class PreparedSource<T> implements Source<T> {
    private final List<Envelope<T>> records;
    private int next;

    PreparedSource(List<Envelope<T>> records) {
      this.records = records;
    }

    @Override
    public String name() {
      return "prepared";
    }

    @Override
    public List<Envelope<T>> poll(int maxRecords, Duration timeout) {
      int end = Math.min(records.size(), next + maxRecords);
      List<Envelope<T>> batch = records.subList(next, end);
      next = end;
      return batch;
    }

    @Override
    public boolean isFinished() {
      return next >= records.size();
    }
  }
}
