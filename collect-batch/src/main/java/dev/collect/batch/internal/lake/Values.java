package dev.collect.batch.internal.lake;

import dev.collect.batch.ColumnType;
import dev.collect.core.MalformedRecordException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Date;

/**
 * Lenient conversions of record values to column types; failures name the column, not the value.
 */
public final class Values {
  private static final Instant MIN_TIMESTAMP = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant MAX_TIMESTAMP = Instant.parse("9999-12-31T23:59:59.999999Z");

  private Values() {}

  /** The value converted to the Java type of {@code type}; null stays null. */
  public static Object convert(String column, ColumnType type, Object value) {
    if (value == null) {
      return null;
    }
    try {
      return switch (type) {
        case STRING -> value.toString();
        case INT -> Math.toIntExact(toLong(value));
        case LONG -> toLong(value);
        case DOUBLE ->
            value instanceof Number n ? n.doubleValue() : Double.parseDouble(text(value));
        case BOOLEAN -> toBoolean(value);
        case TIMESTAMP -> inRange(column, toInstant(value).truncatedTo(ChronoUnit.MICROS));
        case DATE -> inRange(column, toDate(value));
      };
    } catch (MalformedRecordException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new MalformedRecordException(
          "column '"
              + column
              + "' expects "
              + type
              + " but got a "
              + value.getClass().getSimpleName()
              + " that does not convert");
    }
  }

  /**
   * Years 0001 to 9999: what Parquet's microseconds, ISO-8601 text without a sign and every SQL
   * engine hold alike, so a value reads back the same from every format.
   */
  private static Instant inRange(String column, Instant value) {
    if (value.isBefore(MIN_TIMESTAMP) || value.isAfter(MAX_TIMESTAMP)) {
      throw new MalformedRecordException(
          "column '"
              + column
              + "' expects a TIMESTAMP from "
              + MIN_TIMESTAMP
              + " to "
              + MAX_TIMESTAMP);
    }
    return value;
  }

  private static LocalDate inRange(String column, LocalDate value) {
    if (value.getYear() < 1 || value.getYear() > 9999) {
      throw new MalformedRecordException(
          "column '" + column + "' expects a DATE from 0001-01-01 to 9999-12-31");
    }
    return value;
  }

  /** Microseconds since the epoch. */
  public static long micros(Instant instant) {
    // Not ChronoUnit.MICROS.between: it counts in nanoseconds, which overflow before 1677.
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }

  /** The UTC date of a temporal value or ISO string, as {@code yyyy-MM-dd}; null stays null. */
  public static String dateText(Object value) {
    return value == null ? null : toDate(value).toString();
  }

  private static String text(Object value) {
    return value.toString().trim();
  }

  private static long toLong(Object value) {
    if (value instanceof Long || value instanceof Integer || value instanceof Short) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigDecimal d) {
      return d.longValueExact();
    }
    if (value instanceof Number n) {
      double d = n.doubleValue();
      if (d != Math.rint(d)) {
        throw new IllegalArgumentException("not an integer");
      }
      return n.longValue();
    }
    return Long.parseLong(text(value));
  }

  private static boolean toBoolean(Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    String t = text(value);
    if (t.equalsIgnoreCase("true") || t.equals("1")) {
      return true;
    }
    if (t.equalsIgnoreCase("false") || t.equals("0")) {
      return false;
    }
    throw new IllegalArgumentException("not a boolean");
  }

  static Instant toInstant(Object value) {
    if (value instanceof Instant i) {
      return i;
    }
    if (value instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    if (value instanceof ZonedDateTime z) {
      return z.toInstant();
    }
    if (value instanceof LocalDateTime l) {
      return l.toInstant(ZoneOffset.UTC);
    }
    if (value instanceof LocalDate d) {
      return d.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
    if (value instanceof Date d) {
      return d.toInstant();
    }
    if (value instanceof Number n) {
      return Instant.ofEpochMilli(n.longValue());
    }
    String t = text(value);
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      return LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    }
  }

  static LocalDate toDate(Object value) {
    if (value instanceof LocalDate d) {
      return d;
    }
    if (value instanceof java.sql.Date d) {
      return d.toLocalDate();
    }
    if (value instanceof CharSequence s && s.length() == 10) {
      return LocalDate.parse(s);
    }
    return LocalDate.ofInstant(toInstant(value), ZoneOffset.UTC);
  }
}
