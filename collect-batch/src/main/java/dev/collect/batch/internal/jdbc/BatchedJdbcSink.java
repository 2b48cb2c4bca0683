package dev.collect.batch.internal.jdbc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.collect.batch.Jdbc;
import dev.collect.batch.JdbcSinkConfig;
import dev.collect.core.Envelope;
import dev.collect.core.MalformedRecordException;
import dev.collect.core.Sink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** One transaction per batch; see {@link Jdbc#sink}. */
public final class BatchedJdbcSink<T> implements Sink<T> {
  private final JdbcSinkConfig config;
  private final ObjectMapper mapper;
  private final String sql;

  public BatchedJdbcSink(JdbcSinkConfig config) {
    this.config = config;
    this.mapper =
        config.mapper() != null
            ? config.mapper()
            : new ObjectMapper().registerModule(new JavaTimeModule());
    this.sql = sql(config);
  }

  static String sql(JdbcSinkConfig config) {
    List<String> columns = config.columns();
    String names = String.join(", ", columns);
    String marks = columns.stream().map(c -> "?").collect(Collectors.joining(", "));
    String insert = "INSERT INTO " + config.table() + " (" + names + ") VALUES (" + marks + ")";
    if (config.keyColumns().isEmpty()) {
      return insert;
    }
    List<String> others = columns.stream().filter(c -> !config.keyColumns().contains(c)).toList();
    String keys = String.join(", ", config.keyColumns());
    return switch (config.dialect()) {
      case POSTGRESQL, SQLITE ->
          insert
              + " ON CONFLICT ("
              + keys
              + ") "
              + (others.isEmpty()
                  ? "DO NOTHING"
                  : "DO UPDATE SET "
                      + others.stream()
                          .map(c -> c + " = excluded." + c)
                          .collect(Collectors.joining(", ")));
      case MARIADB -> {
        // Every column is a key: a no-op assignment keeps the statement valid and idempotent.
        String firstKey = config.keyColumns().get(0);
        yield insert
            + " ON DUPLICATE KEY UPDATE "
            + (others.isEmpty()
                ? firstKey + " = " + firstKey
                : others.stream()
                    .map(c -> c + " = VALUES(" + c + ")")
                    .collect(Collectors.joining(", ")));
      }
      case H2 ->
          "MERGE INTO "
              + config.table()
              + " ("
              + names
              + ") KEY ("
              + keys
              + ") VALUES ("
              + marks
              + ")";
    };
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  @SuppressWarnings("unchecked")
  public void write(List<Envelope<T>> batch) throws SQLException {
    try (Connection connection = config.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        for (Envelope<T> envelope : batch) {
          Object value = envelope.value();
          if (value == null) {
            throw new MalformedRecordException(
                "a null record cannot be written to " + config.table());
          }
          Map<String, Object> row =
              value instanceof Map<?, ?> m
                  ? (Map<String, Object>) m
                  : mapper.convertValue(value, Map.class);
          int i = 1;
          for (String column : config.columns()) {
            Object v = row.get(column);
            statement.setObject(i++, v instanceof Instant instant ? Timestamp.from(instant) : v);
          }
          statement.addBatch();
        }
        statement.executeBatch();
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  @Override
  public void close() {
    // A connection is held only during a write.
  }

  @Override
  public boolean isThreadSafe() {
    return true;
  }

  @Override
  public boolean isIdempotent() {
    return !config.keyColumns().isEmpty();
  }
}
