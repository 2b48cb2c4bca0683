package dev.collect.cdc.internal;

import dev.collect.cdc.CdcSourceConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/** A small side connection to PostgreSQL for the replication slot's lag. Thread-safe. */
final class PostgresAdmin {
  private final CdcSourceConfig config;
  private final AtomicLong slotLagBytes = new AtomicLong(-1);

  PostgresAdmin(CdcSourceConfig config) {
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
