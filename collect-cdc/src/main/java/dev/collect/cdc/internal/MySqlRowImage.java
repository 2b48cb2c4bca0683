package dev.collect.cdc.internal;

import dev.collect.cdc.CdcConfig;
import dev.collect.cdc.TableId;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MySQL/MariaDB before images: complete only with {@code binlog_row_image=FULL}, read once when the
 * source opens.
 */
final class MySqlRowImage implements ReplicaIdentities {
  private static final Logger log = LoggerFactory.getLogger(MySqlRowImage.class);

  private final boolean full;

  MySqlRowImage(CdcConfig config) {
    String image = "FULL";
    String url = "jdbc:mysql://" + config.host() + ":" + config.port() + "/";
    try (Connection c = DriverManager.getConnection(url, config.user(), config.password());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT @@binlog_row_image")) {
      if (rs.next()) {
        image = rs.getString(1);
      }
    } catch (SQLException e) {
      log.warn(
          "source '{}': could not read binlog_row_image ({}); assuming FULL",
          config.name(),
          e.getClass().getSimpleName());
    }
    this.full = "FULL".equalsIgnoreCase(image);
    if (!full) {
      log.warn(
          "source '{}': binlog_row_image is {}, not FULL: before images hold only the key columns",
          config.name(),
          image);
    }
  }

  @Override
  public boolean fullBeforeImage(TableId table) {
    return full;
  }
}
