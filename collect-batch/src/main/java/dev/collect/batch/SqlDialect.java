package dev.collect.batch;

import dev.collect.core.spi.Checks;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/** The SQL databases this module speaks to, for upserts and DDL. */
public enum SqlDialect {
  POSTGRESQL,
  MARIADB,
  H2,
  SQLITE;

  private static final Pattern IDENTIFIER =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

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
    return Checks.matches("an SQL identifier", name, IDENTIFIER, "letters, digits and underscores");
  }
}
