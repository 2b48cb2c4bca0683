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
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Compares a bare Debezium engine loop (a handler that only records each event) with a Collect
 * pipeline ({@link CdcSource}, default settings, into a recording sink) against one embedded
 * PostgreSQL; the two paths alternate so that both see the same machine load. Both read with
 * Collect's default Debezium batch size (2048) and poll interval (100 ms). Not a test: run it by
 * hand.
 *
 * <p>Throughput mode: bulk updates from a second connection; sustained changes per second and
 * capture lag under that backlog (delivery minus the change's source {@code ts_ms}). Paced mode
 * ({@code paced}): a writer on a second connection commits small transactions at a steady rate,
 * stamping each row with {@link System#nanoTime()} just before its commit; after a warm-up each
 * path records every change's lag (arrival at the handler or sink minus that stamp, same JVM) and
 * reports p50, p99 and max.
 *
 * <pre>
 * mvn -q -o -pl collect-cdc -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/cdc-cp.txt -Dmdep.includeScope=test
 * cd collect-cdc &amp;&amp; java -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
 *     -cp target/classes:target/test-classes:$(cat /tmp/cdc-cp.txt) \
 *     dev.collect.cdc.CdcBenchmark 20000 10 5
 * ... dev.collect.cdc.CdcBenchmark paced 5000 20 5 2
 * </pre>
 *
 * Throughput arguments: rows in the table (default 20000), update rounds per measurement (default
 * 10), pairs of measurements (default 3). Paced arguments: rows per second (default 5000), measured
 * seconds per run (default 20), warm-up seconds per run (default 5), pairs (default 2), rows per
 * transaction (default 1). Each mode first runs both paths once unreported, to warm the JIT.
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
    // This JVM's CPU time over the measurement (the database's own processes are not in it): on a
    // shared machine, CPU per change compares the two paths where wall-clock rates do not.
    long cpuStartNanos;
    long cpuNanos;

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
          "%-22s %,9d changes in %6.2f s = %,9.0f changes/s   JVM CPU %5.1f us/change"
              + "   capture lag p50 %5d ms  p99 %5d ms",
          label,
          expected,
          seconds,
          expected / seconds,
          cpuMicrosPerChange(),
          sorted[sorted.length / 2],
          sorted[(int) (sorted.length * 0.99)]);
    }

    double rate() {
      return expected / ((lastNanos - firstNanos) / 1e9);
    }

    void startCpu() {
      cpuStartNanos = processCpuNanos();
    }

    void stopCpu() {
      cpuNanos = processCpuNanos() - cpuStartNanos;
    }

    /** JVM CPU microseconds per change. */
    double cpuMicrosPerChange() {
      return cpuNanos / 1e3 / expected;
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Commit-to-delivery lags of the rows a {@link PacedCommits} wrote in its window. */
  static final class Lags {
    private final long[] lagNanos;
    private final AtomicInteger count = new AtomicInteger();
    private volatile long windowStartNanos = Long.MAX_VALUE;

    Lags(int capacity) {
      this.lagNanos = new long[capacity];
    }

    void window(long startNanos) {
      windowStartNanos = startNanos;
    }

    /** Called from one thread at a time, as the change with this commit stamp arrives. */
    void record(long stampNanos) {
      long now = System.nanoTime();
      if (stampNanos >= windowStartNanos) {
        int i = count.get();
        if (i < lagNanos.length) {
          lagNanos[i] = now - stampNanos;
        }
        count.set(i + 1);
      }
    }

    void await(int expected, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (count.get() < expected) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("got " + count.get() + " of " + expected + " changes");
        }
        Thread.sleep(10);
      }
      if (count.get() != expected || expected > lagNanos.length) {
        throw new IllegalStateException("got " + count.get() + " of " + expected + " changes");
      }
    }

    /** p50, p99 and max in nanoseconds. */
    long[] percentiles() {
      long[] sorted = Arrays.copyOf(lagNanos, count.get());
      Arrays.sort(sorted);
      int n = sorted.length;
      return new long[] {sorted[n / 2], sorted[Math.min(n - 1, (int) (n * 0.99))], sorted[n - 1]};
    }
  }

  /** Starts a capture path that hands the commit stamp of each inserted row to the consumer. */
  @FunctionalInterface
  interface Path {
    AutoCloseable start(Pg pg, String table, LongConsumer stamps) throws Exception;
  }

  static final Path BARE =
      (pg, table, stamps) ->
          startBare(
              pg,
              table,
              v -> {
                if ("c".equals(v.getString("op"))) {
                  stamps.accept(v.getStruct("after").getInt64("t_ns"));
                }
              });

  static final Path COLLECT =
      (pg, table, stamps) ->
          startCollect(
              pg,
              table,
              e -> {
                if (e.operation() == Operation.CREATE) {
                  stamps.accept(((Number) e.after().get("t_ns")).longValue());
                }
              });

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("paced")) {
      paced(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
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
      double[] cpuRatios = new double[repeats];
      for (int i = 0; i < repeats; i++) {
        Measure bare = bare(pg, rows, rounds);
        Measure collect = collect(pg, rows, rounds);
        ratios[i] = collect.rate() / bare.rate();
        cpuRatios[i] = collect.cpuMicrosPerChange() / bare.cpuMicrosPerChange();
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
      Arrays.sort(cpuRatios);
      System.out.printf(
          Locale.ROOT,
          "Collect / bare JVM CPU per change, median of %d pairs: %.2fx (min %.2fx, max %.2fx)%n",
          repeats,
          cpuRatios[repeats / 2],
          cpuRatios[0],
          cpuRatios[repeats - 1]);
    }
  }

  /**
   * Paced mode: a writer commits {@code rowsPerTx}-row transactions at {@code rate} rows/s; each
   * path captures for {@code warmup} s, then for {@code seconds} s every change's lag (delivery to
   * the handler or sink minus the writer's stamp just before commit) is recorded.
   */
  private static void paced(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int pairs = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    int rowsPerTx = args.length > 4 ? Integer.parseInt(args[4]) : 1;
    try (Pg pg = Pg.start()) {
      pg.exec("CREATE TABLE paced (id BIGSERIAL PRIMARY KEY, t_ns BIGINT NOT NULL, pad TEXT)");
      System.out.printf(
          Locale.ROOT,
          "paced: %,d rows/s in %d-row transactions, %d s warm-up then %d s measured per run%n",
          rate,
          rowsPerTx,
          warmup,
          seconds);
      // One unreported run of each path first, so that neither pays for the JIT in the first pair.
      pacedRun(pg, BARE, "warm-up bare", rate, warmup, warmup, rowsPerTx);
      pacedRun(pg, COLLECT, "warm-up Collect", rate, warmup, warmup, rowsPerTx);
      double[] ratios = new double[pairs];
      for (int i = 0; i < pairs; i++) {
        long[] bare = pacedRun(pg, BARE, "bare Debezium engine", rate, seconds, warmup, rowsPerTx);
        long[] collect =
            pacedRun(pg, COLLECT, "Collect CdcSource", rate, seconds, warmup, rowsPerTx);
        ratios[i] = (double) collect[1] / bare[1];
        System.out.printf(Locale.ROOT, "  pair %d: Collect / bare p99 = %.2fx%n", i + 1, ratios[i]);
      }
      Arrays.sort(ratios);
      System.out.printf(
          Locale.ROOT,
          "Collect / bare capture lag p99, median of %d pairs: %.2fx (min %.2fx, max %.2fx)%n",
          pairs,
          ratios[pairs / 2],
          ratios[0],
          ratios[pairs - 1]);
    }
  }

  private static long[] pacedRun(
      Pg pg, Path path, String label, int rate, int seconds, int warmup, int rowsPerTx)
      throws Exception {
    Lags lags = new Lags(rate * seconds * 2 + 10_000);
    PacedCommits writer;
    try (AutoCloseable capture = path.start(pg, "paced", lags::record)) {
      writer = new PacedCommits(pg::connect, "paced", rate, rowsPerTx).start();
      try {
        Thread.sleep(warmup * 1000L);
        lags.window(writer.openWindow());
        Thread.sleep(seconds * 1000L);
      } finally {
        writer.close();
      }
      lags.await(writer.windowRows(), Duration.ofMinutes(2));
    }
    long[] p = lags.percentiles();
    System.out.printf(
        Locale.ROOT,
        "%-22s %,7d changes (writer %,6.0f rows/s)   capture lag p50 %6.1f ms  p99 %6.1f ms"
            + "  max %6.1f ms%n",
        label,
        writer.windowRows(),
        writer.windowRate(),
        p[0] / 1e6,
        p[1] / 1e6,
        p[2] / 1e6);
    return p;
  }

  private static void updates(Pg pg, int rounds) throws Exception {
    for (int r = 0; r < rounds; r++) {
      pg.exec("UPDATE bench SET v = v + 1");
    }
  }

  private static Measure bare(Pg pg, int rows, int rounds) throws Exception {
    Measure measure = new Measure(rows * rounds);
    try (AutoCloseable engine =
        startBare(
            pg, "bench", value -> measure.record(value.getStruct("source").getInt64("ts_ms")))) {
      measure.startCpu();
      updates(pg, rounds);
      if (!measure.done.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("bare engine got " + measure.count + " changes");
      }
      measure.stopCpu();
    }
    return measure;
  }

  /**
   * Starts a bare Debezium engine on {@code public.<table>} that hands each change's value to
   * {@code onChange} on the engine's thread, with the batch size and poll interval Collect uses by
   * default (Debezium's own poll interval is 500 ms, which would dominate capture lag). Returns
   * once the engine's task has started; closing stops the engine and drops its slot.
   */
  static AutoCloseable startBare(Pg pg, String table, Consumer<Struct> onChange) throws Exception {
    String name = Pg.unique("bare");
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
    props.setProperty("table.include.list", "public." + table);
    props.setProperty("slot.name", name);
    props.setProperty("publication.name", name);
    props.setProperty("publication.autocreate.mode", "filtered");
    props.setProperty("slot.drop.on.stop", "true");
    props.setProperty("snapshot.mode", "no_data");
    props.setProperty("max.batch.size", "2048");
    props.setProperty("poll.interval.ms", "100");
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
                      onChange.accept(s);
                    }
                    committer.markProcessed(r);
                  }
                  committer.markBatchFinished();
                })
            .build();
    ExecutorService thread = Executors.newSingleThreadExecutor();
    thread.execute(engine);
    if (!started.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("bare engine did not start");
    }
    return () -> {
      engine.close();
      thread.shutdown();
      thread.awaitTermination(1, TimeUnit.MINUTES);
    };
  }

  private static Measure collect(Pg pg, int rows, int rounds) throws Exception {
    Measure measure = new Measure(rows * rounds);
    try (AutoCloseable pipeline =
        startCollect(
            pg,
            "bench",
            e -> {
              if (e.operation() == Operation.UPDATE) {
                measure.record(e.source().commitTime().toEpochMilli());
              }
            })) {
      measure.startCpu();
      updates(pg, rounds);
      if (!measure.done.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("Collect got " + measure.count + " changes");
      }
      measure.stopCpu();
    }
    return measure;
  }

  /**
   * Starts a Collect pipeline ({@link CdcSource} with default settings to a sink that hands each
   * change to {@code onChange} as its batch arrives). Returns once the pipeline is ready; closing
   * stops it and checks the run's invariant.
   */
  static AutoCloseable startCollect(Pg pg, String table, Consumer<ChangeEvent> onChange)
      throws Exception {
    Sink<ChangeEvent> handing =
        Sink.of(
            "handing",
            (List<Envelope<ChangeEvent>> batch) -> {
              for (Envelope<ChangeEvent> e : batch) {
                onChange.accept(e.value());
              }
            });
    String name = Pg.unique("collect");
    Pipeline pipeline =
        Pipeline.from(
                Cdc.source(
                    pg.config(name, table)
                        .snapshotMode(SnapshotMode.NO_DATA)
                        .dropSlotOnStop(true)
                        .heartbeatInterval(Duration.ofSeconds(10))
                        .property("poll.interval.ms", "100")
                        .build()))
            .to(handing)
            .name("cdc-bench")
            .build();
    pipeline.start();
    while (!pipeline.isReady()) {
      if (!pipeline.isLive()) {
        throw new IllegalStateException(pipeline.report().failure());
      }
      Thread.sleep(10);
    }
    return () -> {
      RunReport report = pipeline.stop(Duration.ofSeconds(60));
      if (!report.invariantHolds()) {
        throw new IllegalStateException("invariant broken: " + report.toTable());
      }
    };
  }
}
