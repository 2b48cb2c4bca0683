package dev.collect.core;

import dev.collect.core.internal.runtime.DefaultErrorClassifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
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
 *   <li>{@link Kind#RECORD}: this record is bad; dead-letter it at once. A sink batch that fails so
 *       is split in halves until the record stands alone, and only that record is dead-lettered,
 *       with its exception; the outage budget is not waited out.
 *   <li>{@link Kind#FATAL}: stop the pipeline now without committing.
 * </ul>
 *
 * <p>The {@linkplain #defaults() default rule} reads the cause chain from the outermost exception
 * inwards; the first exception that says something decides, and wrappers that say nothing ({@link
 * UncheckedIOException}, {@code CompletionException}, a plain {@code RuntimeException}) pass the
 * question to their cause:
 *
 * <ol>
 *   <li>an {@link Error} thrown directly: fatal;
 *   <li>{@link RetriableCollectException}: transient, whatever its cause;
 *   <li>about the record: {@link MalformedRecordException}, {@link RejectedRecordException},
 *       Jackson's exceptions (parse, generation, and the databind family: {@code
 *       JsonMappingException}, {@code MismatchedInputException}, {@code InvalidDefinitionException}
 *       for a type the mapper cannot write, e.g. a {@code LocalDate} without the JavaTime module),
 *       character coding errors, and the conversion failures a sink's own mapping throws ({@link
 *       IllegalArgumentException} and {@link NumberFormatException}, {@link ClassCastException},
 *       {@link ArithmeticException}, {@link java.time.DateTimeException});
 *   <li>an {@link SQLException}, by SQLState class: 22 (data exception) and 23 (integrity
 *       constraint violation) are about the record; 08 (connection), 40 (transaction rollback:
 *       deadlock, serialization failure), 53 (insufficient resources), 57 (operator intervention),
 *       58 (system error) and HYT (timeout) are transient. Without a telling state: {@link
 *       SQLIntegrityConstraintViolationException} and {@link SQLDataException} are about the
 *       record, {@link SQLTransientException}, {@link SQLRecoverableException} and {@link
 *       SQLNonTransientConnectionException} transient; else the next exceptions (a {@link
 *       java.sql.BatchUpdateException} chains the failed rows' errors there), then the cause;
 *   <li>transient: any other {@link IOException}, {@link TimeoutException};
 *   <li>nothing in the chain says anything: about the record.
 * </ol>
 *
 * <p>So a record that cannot be written is never mistaken for an outage because a wrapper around
 * its exception is an I/O type, while a sink that reports itself unusable with an {@code
 * IOException} (even one caused by an earlier bad record) is an outage. A custom classifier can
 * delegate to {@code defaults()} for what it does not decide itself.
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

  /** The rule described in the class comment. */
  static ErrorClassifier defaults() {
    return DefaultErrorClassifier::classify;
  }
}
