package dev.collect.batch;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;

/** The SQL databases this module speaks to, for upserts and DDL. */
public enum SqlDialect {
  POSTGRESQL,
  MARIADB,
  H2,
  SQLITE;

  /** The dialect of the database behind {@code dataSource}, from its product name. */
  public static SqlDialect detect(DataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
      if (product.contains("postgres")) {
        return POSTGRESQL;
      }
      if (product.contains("mariadb") || product.contains("mysql")) {
        return MARIADB;
      }
      if (product.contains("h2")) {
        return H2;
      }
      if (product.contains("sqlite")) {
        return SQLITE;
      }
      throw new SQLException("unsupported database '" + product + "'");
    }
  }

  /** Checks a table or column name: letters, digits, underscores, dots; no quoting needed. */
  public static String identifier(String name) {
    if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
      throw new IllegalArgumentException(
          "an SQL identifier must be letters, digits and underscores, but was '" + name + "'");
    }
    return name;
  }
}
