package dev.collect.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.concurrent.TimeoutException;

/**
 * Says what a failure means, which decides what the runtime does with it.
 *
 * <ul>
 *   <li>{@link Kind#TRANSIENT}: try again with backoff (a record stage: up to the retry policy's
 *       attempts, then a dead letter marked retryable; a sink: within the outage budget, then the
 *       pipeline stops without committing).
 *   <li>{@link Kind#RECORD}: this record is bad; dead-letter it (a sink batch is split to find it).
 *   <li>{@link Kind#FATAL}: stop the pipeline now without committing.
 * </ul>
 */
@FunctionalInterface
public interface ErrorClassifier {

  /** What a failure means. */
  enum Kind {
    TRANSIENT,
    RECORD,
    FATAL
  }

  /** Classifies {@code error}. */
  Kind classify(Throwable error);

  /**
   * Transient: {@link RetriableCollectException}, {@link IOException} (also wrapped in {@link
   * UncheckedIOException}), {@link TimeoutException}, {@link SQLTransientException}, {@link
   * SQLRecoverableException}, but not parse errors (Jackson's exceptions, {@link
   * MalformedRecordException}, character coding errors), which are about the record; fatal: {@link
   * Error}s such as {@link OutOfMemoryError}; the rest (parse errors, constraint violations,
   * illegal arguments) is about the record.
   */
  static ErrorClassifier defaults() {
    return ErrorClassifier::classifyDefault;
  }

  private static Kind classifyDefault(Throwable error) {
    if (error instanceof Error) {
      return Kind.FATAL;
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof MalformedRecordException
          || t instanceof RejectedRecordException
          || t instanceof com.fasterxml.jackson.core.JacksonException
          || t instanceof java.nio.charset.CharacterCodingException) {
        return Kind.RECORD;
      }
      if (t instanceof RetriableCollectException
          || t instanceof IOException
          || t instanceof UncheckedIOException
          || t instanceof TimeoutException
          || t instanceof SQLTransientException
          || t instanceof SQLRecoverableException) {
        return Kind.TRANSIENT;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return Kind.RECORD;
  }
}
