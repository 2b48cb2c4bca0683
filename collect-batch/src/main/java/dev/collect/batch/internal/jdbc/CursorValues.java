package dev.collect.batch.internal.jdbc;

import dev.collect.core.CollectException;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;

/** Reads column values in a portable shape and encodes cursor values as typed text. */
final class CursorValues {
  private CursorValues() {}

  /** The value of column {@code i}: timestamps as LocalDateTime or Instant, dates as LocalDate. */
  static Object read(ResultSet rs, ResultSetMetaData meta, int i) throws SQLException {
    int type = meta.getColumnType(i);
    Object value =
        switch (type) {
          case Types.TIMESTAMP -> rs.getObject(i, LocalDateTime.class);
          case Types.TIMESTAMP_WITH_TIMEZONE -> {
            OffsetDateTime o = rs.getObject(i, OffsetDateTime.class);
            yield o == null ? null : o.toInstant();
          }
          case Types.DATE -> rs.getObject(i, LocalDate.class);
          default -> rs.getObject(i);
        };
    if (value instanceof java.sql.Timestamp t) {
      return t.toLocalDateTime();
    }
    if (value instanceof java.sql.Date d) {
      return d.toLocalDate();
    }
    if (value instanceof java.sql.Clob || value instanceof java.sql.Blob) {
      return value instanceof java.sql.Clob c
          ? c.getSubString(1, (int) c.length())
          : rs.getBytes(i);
    }
    return value;
  }

  /** Typed text that {@link #decode} turns back into a bindable value. */
  static String encode(Object value) {
    if (value == null) {
      throw new CollectException(
          "a row has a null value in the cursor or tie-breaker column, so its position cannot be"
              + " saved: declare those columns NOT NULL (or fill the nulls), or choose other columns");
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      return "l:" + value;
    }
    if (value instanceof BigDecimal d) {
      return "n:" + d.toPlainString();
    }
    if (value instanceof LocalDateTime t) {
      return "t:" + t;
    }
    if (value instanceof Instant t) {
      return "i:" + t;
    }
    if (value instanceof LocalDate d) {
      return "d:" + d;
    }
    return "s:" + value;
  }

  static Object decode(String text) {
    String v = text.substring(2);
    return switch (text.charAt(0)) {
      case 'l' -> Long.parseLong(v);
      case 'n' -> new BigDecimal(v);
      case 't' -> LocalDateTime.parse(v);
      case 'i' -> OffsetDateTime.parse(v.endsWith("Z") ? v.replace("Z", "+00:00") : v);
      case 'd' -> LocalDate.parse(v);
      default -> v;
    };
  }
}
