package dev.collect.cdc.internal;

import dev.collect.cdc.CdcConfig;
import dev.collect.cdc.TableId;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small side connection to PostgreSQL: the tables' replica identities (to tell full before images
 * from key-only ones) and the replication slot's lag. Thread-safe.
 */
final class PostgresAdmin implements ReplicaIdentities {
  private static final Logger log = LoggerFactory.getLogger(PostgresAdmin.class);

  private final CdcConfig config;
  private final Map<String, Character> identities = new ConcurrentHashMap<>();
  private final AtomicLong slotLagBytes = new AtomicLong(-1);

  PostgresAdmin(CdcConfig config) {
    this.config = config;
  }

  private Connection connect() throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", config.user());
    props.setProperty("password", config.password());
    props.setProperty("ApplicationName", "collect-cdc-" + config.name());
    String url =
        "jdbc:postgresql://" + config.host() + ":" + config.port() + "/" + config.databaseName();
    return DriverManager.getConnection(url, props);
  }

  /**
   * Reloads every table's replica identity ({@code d}efault, {@code f}ull, {@code i}ndex, {@code
   * n}othing).
   */
  void refreshIdentities() {
    String sql =
        "SELECT n.nspname, c.relname, c.relreplident FROM pg_class c"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p')";
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        String ident = rs.getString(3);
        identities.put(
            rs.getString(1) + "." + rs.getString(2), ident.isEmpty() ? 'd' : ident.charAt(0));
      }
    } catch (SQLException e) {
      log.warn(
          "source '{}': could not read replica identities ({}); before images are reported as key-only",
          config.name(),
          e.getClass().getSimpleName());
    }
  }

  @Override
  public boolean fullBeforeImage(TableId table) {
    String key = table.schema() + "." + table.table();
    Character ident = identities.get(key);
    if (ident == null) {
      refreshIdentities();
      ident = identities.get(key);
    }
    return ident != null && ident == 'f';
  }

  /** Reads the slot's retained WAL in bytes; -1 when the slot does not exist or is unreachable. */
  void refreshSlotLag() {
    String sql =
        "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), COALESCE(confirmed_flush_lsn, restart_lsn))"
            + " FROM pg_replication_slots WHERE slot_name = ?";
    try (Connection c = connect();
        PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, config.slotName());
      try (ResultSet rs = st.executeQuery()) {
        slotLagBytes.set(rs.next() ? rs.getLong(1) : -1);
      }
    } catch (SQLException e) {
      slotLagBytes.set(-1);
    }
  }

  long slotLagBytes() {
    return slotLagBytes.get();
  }
}
