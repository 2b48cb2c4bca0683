package dev.collect.batch.internal.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The JDBC calls the module's own tables (checkpoints, job leases) share: each takes a connection
 * of its own from the pool and binds its parameters in order with {@code setObject}. Stateless and
 * thread-safe.
 */
final class Sql {
  private Sql() {}

  /** Reads the current row of a result. */
  @FunctionalInterface
  interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /**
   * Runs each statement (DDL, typically {@code CREATE TABLE IF NOT EXISTS}), in order. PostgreSQL's
   * {@code IF NOT EXISTS} is not safe against a concurrent creator: the loser of the race fails on
   * the catalog's unique index (SQLState 23505) or with "already exists" for the table or its row
   * type (42P07, 42710) once the winner commits. Such a statement is run again, and then finds what
   * the other session created.
   */
  static void execute(DataSource dataSource, String... statements) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        for (int attempt = 1; ; attempt++) {
          try {
            s.execute(statement);
            break;
          } catch (SQLException e) {
            if (attempt == CREATE_ATTEMPTS || !createdConcurrently(e)) {
              throw e;
            }
          }
        }
      }
    }
  }

  private static final int CREATE_ATTEMPTS = 3;

  private static boolean createdConcurrently(SQLException e) {
    String state = e.getSQLState();
    return "23505".equals(state) || "42P07".equals(state) || "42710".equals(state);
  }

  /** Runs {@code sql} with {@code params} in auto-commit and returns its update count. */
  static int update(DataSource dataSource, String sql, Object... params) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      c.setAutoCommit(true);
      bind(s, params);
      return s.executeUpdate();
    }
  }

  /** The first row {@code sql} selects with {@code params}, read by {@code row}; empty if none. */
  static <T> Optional<T> first(DataSource dataSource, String sql, Row<T> row, Object... params)
      throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, params);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(row.read(rs)) : Optional.empty();
      }
    }
  }

  private static void bind(PreparedStatement s, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      s.setObject(i + 1, params[i]);
    }
  }
}
