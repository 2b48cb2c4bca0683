package dev.collect.batch.internal.jdbc;

import dev.collect.batch.SqlDialect;
import dev.collect.core.CheckpointStore;
import dev.collect.core.RetriableCollectException;
import dev.collect.core.spi.Checks;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** The JDBC checkpoint store: one row per key, saved by an upsert. */
public final class SqlCheckpointStore implements CheckpointStore {
  private static final int MAX_KEY = 200;
  private final DataSource dataSource;
  private final String table;
  private final String upsert;

  public SqlCheckpointStore(DataSource dataSource, SqlDialect dialect, String table)
      throws SQLException {
    this.dataSource = dataSource;
    this.table = table;
    String keyType =
        dialect == SqlDialect.MARIADB
            ? "VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
            : "VARCHAR(200)";
    String valueType =
        dialect == SqlDialect.MARIADB ? "LONGTEXT" : dialect == SqlDialect.H2 ? "CLOB" : "TEXT";
    Sql.execute(
        dataSource,
        "CREATE TABLE IF NOT EXISTS "
            + table
            + " (ckey "
            + keyType
            + " NOT NULL PRIMARY KEY, cvalue "
            + valueType
            + " NOT NULL)"
            + (dialect == SqlDialect.MARIADB ? " CHARACTER SET utf8mb4" : ""));
    this.upsert =
        switch (dialect) {
          case POSTGRESQL, SQLITE ->
              "INSERT INTO "
                  + table
                  + " (ckey, cvalue) VALUES (?, ?) ON CONFLICT (ckey) DO UPDATE SET cvalue ="
                  + " excluded.cvalue";
          case MARIADB ->
              "INSERT INTO "
                  + table
                  + " (ckey, cvalue) VALUES (?, ?) ON DUPLICATE KEY UPDATE cvalue = VALUES(cvalue)";
          case H2 -> "MERGE INTO " + table + " (ckey, cvalue) KEY (ckey) VALUES (?, ?)";
        };
  }

  private static String check(String key) {
    return Checks.length("checkpoint key", key, 1, MAX_KEY);
  }

  @Override
  public Optional<String> load(String key) {
    check(key);
    try {
      return Sql.first(
          dataSource,
          "SELECT cvalue FROM " + table + " WHERE ckey = ?",
          rs -> rs.getString(1),
          key);
    } catch (SQLException e) {
      throw new RetriableCollectException("loading checkpoint from " + table + " failed", e);
    }
  }

  @Override
  public void save(String key, String value) {
    check(key);
    execute(upsert, key, value);
  }

  @Override
  public void delete(String key) {
    check(key);
    execute("DELETE FROM " + table + " WHERE ckey = ?", key);
  }

  private void execute(String sql, String... params) {
    try {
      Sql.update(dataSource, sql, (Object[]) params);
    } catch (SQLException e) {
      throw new RetriableCollectException("writing checkpoint to " + table + " failed", e);
    }
  }
}
