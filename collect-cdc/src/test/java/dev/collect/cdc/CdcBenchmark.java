package dev.collect.cdc;

import dev.collect.core.Envelope;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Sustained changes per second from PostgreSQL and capture lag (commit to delivery) p50/p99: a bare
 * Debezium engine loop that only counts events, then the same workload through a Collect pipeline
 * ({@link CdcSource} to a counting sink, default settings), against one embedded PostgreSQL, with
 * bulk updates from a second connection. Not a test: run it by hand.
 *
 * <pre>
 * cd collect-cdc &amp;&amp; mvn -q -o test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/cdc-cp.txt -Dmdep.includeScope=test
 * java -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
 *     -cp target/classes:target/test-classes:$(cat /tmp/cdc-cp.txt) \
 *      dev.collect.cdc.CdcBenchmark 20000 10 3
 * </pre>
 *
 * Arguments: rows in the table (default 20000), update rounds per measurement (default 10), pairs
 * of measurements (default 3; the two paths alternate so that both see the same machine load).
 */
public final class CdcBenchmark {
  private CdcBenchmark() {}

  /** Receive times and lags of one measurement. */
  static final class Measure {
    final long[] lagMillis;
    final AtomicInteger count = new AtomicInteger();
    final CountDownLatch done = new CountDownLatch(1);
    final int expected;
    volatile long firstNanos;
    volatile long lastNanos;

    Measure(int expected) {
      this.expected = expected;
      this.lagMillis = new long[expected];
    }

    /** Called from one thread at a time. */
    void record(long commitMillis) {
      long now = System.nanoTime();
      int i = count.getAndIncrement();
      if (i == 0) {
        firstNanos = now;
      }
      if (i < expected) {
        lagMillis[i] = System.currentTimeMillis() - commitMillis;
      }
      if (i + 1 == expected) {
        lastNanos = now;
        done.countDown();
      }
    }

    String report(String label) {
      long[] sorted = Arrays.copyOf(lagMillis, Math.min(count.get(), expected));
      Arrays.sort(sorted);
      double seconds = (lastNanos - firstNanos) / 1e9;
      return String.format(
          Locale.ROOT,
          "%-22s %,9d changes in %6.2f s = %,9.0f changes/s   capture lag p50 %5d ms  p99 %5d ms",
          label,
          expected,
          seconds,
          expected / seconds,
          sorted[sorted.length / 2],
          sorted[(int) (sorted.length * 0.99)]);
    }

    double rate() {
      return expected / ((lastNanos - firstNanos) / 1e9);
    }
  }

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    try (Pg pg = Pg.start()) {
      pg.exec(
          "CREATE TABLE bench (id INT PRIMARY KEY, v INT NOT NULL, pad TEXT)",
          "INSERT INTO bench SELECT g, 0, md5(g::text) FROM generate_series(1, " + rows + ") g");
      System.out.printf(
          Locale.ROOT,
          "table of %,d rows, %d rounds of UPDATE bench SET v = v + 1%n",
          rows,
          rounds);
      // Warm up both paths with a full measurement each (the JIT is busy for several seconds), then
      // alternate them so that both see the same machine load.
      bare(pg, rows, rounds);
      collect(pg, rows, rounds);
      double[] ratios = new double[repeats];
      for (int i = 0; i < repeats; i++) {
        Measure bare = bare(pg, rows, rounds);
        Measure collect = collect(pg, rows, rounds);
        ratios[i] = collect.rate() / bare.rate();
        System.out.println(bare.report("bare Debezium engine"));
        System.out.println(collect.report("Collect CdcSource"));
      }
      Arrays.sort(ratios);
      System.out.printf(
          Locale.ROOT,
          "Collect / bare throughput, median of %d pairs: %.1f%% (min %.1f%%, max %.1f%%)%n",
          repeats,
          100 * ratios[repeats / 2],
          100 * ratios[0],
          100 * ratios[repeats - 1]);
    }
  }

  private static void updates(Pg pg, int rounds) throws Exception {
    for (int r = 0; r < rounds; r++) {
      pg.exec("UPDATE bench SET v = v + 1");
    }
  }

  private static Measure bare(Pg pg, int rows, int rounds) throws Exception {
    String name = Pg.unique("bare");
    Measure measure = new Measure(rows * rounds);
    Properties props = new Properties();
    props.setProperty("name", name);
    props.setProperty("topic.prefix", name);
    props.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    props.setProperty("plugin.name", "pgoutput");
    props.setProperty("database.hostname", "127.0.0.1");
    props.setProperty("database.port", Integer.toString(pg.port()));
    props.setProperty("database.user", "postgres");
    props.setProperty("database.password", "");
    props.setProperty("database.dbname", "postgres");
    props.setProperty("table.include.list", "public.bench");
    props.setProperty("slot.name", name);
    props.setProperty("publication.name", name);
    props.setProperty("publication.autocreate.mode", "filtered");
    props.setProperty("slot.drop.on.stop", "true");
    props.setProperty("snapshot.mode", "no_data");
    props.setProperty(
        "offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
    props.setProperty("offset.flush.interval.ms", "1000");
    CountDownLatch started = new CountDownLatch(1);
    DebeziumEngine<RecordChangeEvent<SourceRecord>> engine =
        DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
            .using(props)
            .using(
                new DebeziumEngine.ConnectorCallback() {
                  @Override
                  public void taskStarted() {
                    started.countDown();
                  }
                })
            .notifying(
                (List<RecordChangeEvent<SourceRecord>> records,
                    DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) -> {
                  for (RecordChangeEvent<SourceRecord> r : records) {
                    Object value = r.record().value();
                    if (value instanceof Struct s && s.schema().field("source") != null) {
                      measure.record(s.getStruct("source").getInt64("ts_ms"));
                    }
                    committer.markProcessed(r);
                  }
                  committer.markBatchFinished();
                })
            .build();
    ExecutorService thread = Executors.newSingleThreadExecutor();
    thread.execute(engine);
    started.await(60, TimeUnit.SECONDS);
    updates(pg, rounds);
    if (!measure.done.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("bare engine got " + measure.count + " changes");
    }
    engine.close();
    thread.shutdown();
    thread.awaitTermination(1, TimeUnit.MINUTES);
    return measure;
  }

  private static Measure collect(Pg pg, int rows, int rounds) throws Exception {
    Measure measure = new Measure(rows * rounds);
    Sink<ChangeEvent> counting =
        Sink.of(
            "counting",
            (List<Envelope<ChangeEvent>> batch) -> {
              for (Envelope<ChangeEvent> e : batch) {
                if (e.value().operation() == Operation.UPDATE) {
                  measure.record(e.value().source().commitTime().toEpochMilli());
                }
              }
            });
    String name = Pg.unique("collect");
    Pipeline pipeline =
        Pipeline.from(
                CdcSource.of(
                    pg.config(name, "bench")
                        .snapshotMode(SnapshotMode.NO_DATA)
                        .dropSlotOnStop(true)
                        .heartbeatInterval(Duration.ofSeconds(10))
                        .property("poll.interval.ms", "100")
                        .build()))
            .to(counting)
            .name("cdc-bench")
            .build();
    pipeline.start();
    while (!pipeline.isReady()) {
      if (!pipeline.isLive()) {
        throw new IllegalStateException(pipeline.report().failure());
      }
      Thread.sleep(10);
    }
    updates(pg, rounds);
    if (!measure.done.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("Collect got " + measure.count + " changes");
    }
    RunReport report = pipeline.stop(Duration.ofSeconds(60));
    if (!report.invariantHolds()) {
      throw new IllegalStateException("invariant broken: " + report.toTable());
    }
    return measure;
  }
}
