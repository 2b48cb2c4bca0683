package dev.collect.cdc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** One embedded PostgreSQL 14 with logical decoding per test class (test support). */
final class Pg implements AutoCloseable {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  final EmbeddedPostgres server;

  private Pg(EmbeddedPostgres server) {
    this.server = server;
  }

  static Pg start() throws Exception {
    return new Pg(
        EmbeddedPostgres.builder()
            .setServerConfig("wal_level", "logical")
            .setServerConfig("max_replication_slots", "10")
            .setServerConfig("max_wal_senders", "10")
            .start());
  }

  int port() {
    return server.getPort();
  }

  Connection connect() throws SQLException {
    return server.getPostgresDatabase().getConnection();
  }

  void exec(String... statements) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    }
  }

  /** Runs the statements in one transaction. */
  void tx(String... statements) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      for (String sql : statements) {
        st.execute(sql);
      }
      c.commit();
    }
  }

  long queryLong(String sql) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  /**
   * Drops a replication slot once no walsender holds it: a stopped pipeline's replication
   * connection is closed, but its server process may still be exiting, and dropping an active slot
   * fails.
   */
  void dropSlot(String slot) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (queryLong(
            "SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name = '" + slot + "'")
        > 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("replication slot " + slot + " still active 10 s after its stop");
      }
      Thread.sleep(20);
    }
    exec("SELECT pg_drop_replication_slot('" + slot + "')");
  }

  /** A name unique in this JVM and run, for slots, publications and tables. */
  static String unique(String prefix) {
    return prefix + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
  }

  /** A CDC configuration for this server, capturing {@code public.<table>}. */
  CdcSourceConfig.Builder config(String name, String table) {
    return CdcSourceConfig.postgres()
        .name(name)
        .connect("127.0.0.1", port())
        .databaseName("postgres")
        .tables("public." + table)
        .slotName(name.toLowerCase())
        .publicationName(name.toLowerCase())
        .heartbeatInterval(java.time.Duration.ofMillis(500))
        .property("poll.interval.ms", "50");
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
