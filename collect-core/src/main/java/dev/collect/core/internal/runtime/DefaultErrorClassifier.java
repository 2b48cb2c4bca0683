package dev.collect.core.internal.runtime;

import com.fasterxml.jackson.core.JacksonException;
import dev.collect.core.ErrorClassifier.Kind;
import dev.collect.core.MalformedRecordException;
import dev.collect.core.RejectedRecordException;
import dev.collect.core.RetriableCollectException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.DateTimeException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * The rule behind {@link dev.collect.core.ErrorClassifier#defaults()}: the outermost exception of
 * the cause chain that says something decides; pure wrappers pass the question to their cause.
 */
public final class DefaultErrorClassifier {
  private static final int MAX_DEPTH = 32;

  private DefaultErrorClassifier() {}

  public static Kind classify(Throwable error) {
    if (error instanceof Error) {
      return Kind.FATAL;
    }
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = error; t != null && seen.size() < MAX_DEPTH && seen.add(t); ) {
      Kind kind = decide(t, seen);
      if (kind != null) {
        return kind;
      }
      t = t.getCause();
    }
    return Kind.RECORD;
  }

  /** What {@code t} itself says, or null when only its cause can tell. */
  private static Kind decide(Throwable t, Set<Throwable> seen) {
    if (t instanceof RetriableCollectException) {
      return Kind.TRANSIENT;
    }
    if (t instanceof MalformedRecordException
        || t instanceof RejectedRecordException
        // Jackson's exceptions are IOExceptions, but every one of them (parse, generation,
        // mapping, a type it cannot serialise) is about the value in hand, not about the sink.
        || t instanceof JacksonException
        || t instanceof CharacterCodingException
        || isConversionFailure(t)) {
      return Kind.RECORD;
    }
    if (t instanceof SQLException sql) {
      return decideSql(sql, seen);
    }
    if (t instanceof UncheckedIOException) {
      return null;
    }
    if (t instanceof IOException || t instanceof TimeoutException) {
      return Kind.TRANSIENT;
    }
    return null;
  }

  /** A value that does not fit where the sink (or a step) puts it. */
  private static boolean isConversionFailure(Throwable t) {
    return t instanceof IllegalArgumentException
        || t instanceof ClassCastException
        || t instanceof ArithmeticException
        || t instanceof DateTimeException;
  }

  /**
   * By SQLState class first (drivers agree on it more than on exception classes), then by the JDBC
   * subclass, then by the next exceptions a batch update chains.
   */
  private static Kind decideSql(SQLException sql, Set<Throwable> seen) {
    Kind byState = bySqlState(sql.getSQLState());
    if (byState != null) {
      return byState;
    }
    if (sql instanceof SQLIntegrityConstraintViolationException
        || sql instanceof SQLDataException) {
      return Kind.RECORD;
    }
    if (sql instanceof SQLTransientException
        || sql instanceof SQLRecoverableException
        || sql instanceof SQLNonTransientConnectionException) {
      return Kind.TRANSIENT;
    }
    for (SQLException next = sql.getNextException();
        next != null && seen.size() < MAX_DEPTH && seen.add(next);
        next = next.getNextException()) {
      Kind kind = decide(next, seen);
      if (kind != null) {
        return kind;
      }
    }
    return null;
  }

  private static Kind bySqlState(String state) {
    if (state == null || state.length() < 2) {
      return null;
    }
    return switch (state.substring(0, 2)) {
      // 22 data exception (a value too long, out of range, badly formatted), 23 integrity
      // constraint violation (unique key, foreign key, not null, check).
      case "22", "23" -> Kind.RECORD;
      // 08 connection exception, 40 transaction rollback (deadlock, serialization failure), 53
      // insufficient resources, 57 operator intervention (shutdown, statement timeout), 58 system
      // error: the database, not the record.
      case "08", "40", "53", "57", "58" -> Kind.TRANSIENT;
      case "HY" -> state.startsWith("HYT") ? Kind.TRANSIENT : null;
      default -> null;
    };
  }
}
