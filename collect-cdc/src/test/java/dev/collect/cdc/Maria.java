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
 * The machine's MariaDB ({@code COLLECT_MARIADB_HOST}/{@code COLLECT_MARIADB_PORT}, default
 * 127.0.0.1:3306, user root, empty password) with a database of this test JVM's own (test support).
 * It needs row-based binary logging: {@code .ci/setup.d/collect-cdc.sh} configures it. Without a
 * server the tests skip, except under {@code CI=true}, where they fail.
 */
final class Maria {
  static final String HOST = System.getenv().getOrDefault("COLLECT_MARIADB_HOST", "127.0.0.1");
  static final int PORT =
      Integer.parseInt(System.getenv().getOrDefault("COLLECT_MARIADB_PORT", "3306"));
  static final String DB = "collect_cdc_" + ProcessHandle.current().pid();
  static final int SERVER_ID = 6000 + (int) (ProcessHandle.current().pid() % 1000);

  private Maria() {}

  /** Skips (or under CI fails) without a suitable server; creates the database. */
  static void require(String test) throws Exception {
    String problem = null;
    try (Connection c = connect("");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT @@log_bin, @@binlog_format, @@binlog_row_image")) {
      rs.next();
      if (!rs.getBoolean(1) || !"ROW".equals(rs.getString(2))) {
        problem =
            "MariaDB at "
                + HOST
                + ":"
                + PORT
                + " has no row-based binlog; run .ci/setup.d/collect-cdc.sh";
      }
    } catch (SQLException e) {
      problem = "no MariaDB at " + HOST + ":" + PORT + " (" + e.getMessage() + ")";
    }
    if (problem != null) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(problem);
      }
      System.err.println("SKIPPING " + test + ": " + problem);
      Assumptions.abort(problem);
    }
    exec("", "CREATE DATABASE IF NOT EXISTS " + DB);
  }

  static void dropDatabase() throws Exception {
    exec("", "DROP DATABASE IF EXISTS " + DB);
  }

  static Connection connect(String db) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:mysql://" + HOST + ":" + PORT + "/" + db + "?user=root&password=");
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
  static CdcConfig config(String name, String table, Path dir) {
    return CdcConfig.mysql()
        .name(name)
        .connect(HOST, PORT)
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
