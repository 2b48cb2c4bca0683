package dev.collect.core;

import static dev.collect.core.ErrorClassifier.Kind.FATAL;
import static dev.collect.core.ErrorClassifier.Kind.RECORD;
import static dev.collect.core.ErrorClassifier.Kind.TRANSIENT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.charset.MalformedInputException;
import java.sql.BatchUpdateException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The default rule of {@link ErrorClassifier}, case by case as its Javadoc lists them. */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ErrorClassifierTest {
  private final ErrorClassifier classifier = ErrorClassifier.defaults();

  private static Exception jacksonCannotWriteALocalDate() {
    try {
      new ObjectMapper().writeValueAsString(Map.of("day", LocalDate.of(2026, 12, 1)));
      throw new AssertionError("Jackson wrote a LocalDate without the JavaTime module");
    } catch (IOException e) {
      return e;
    }
  }

  /** A batch update failure as drivers report it: the row's error as next exception. */
  private static BatchUpdateException batchFailure(String state, SQLException row) {
    BatchUpdateException batch = new BatchUpdateException("batch entry 3 failed", state, 0, null);
    batch.setNextException(row);
    return batch;
  }

  @Test
  void errorsAreFatal() {
    assertThat(classifier.classify(new OutOfMemoryError())).isEqualTo(FATAL);
    assertThat(classifier.classify(new StackOverflowError())).isEqualTo(FATAL);
  }

  @Test
  void jacksonFailuresAreAboutTheRecordEvenInsideAnIoWrapper() {
    Exception invalidDefinition = jacksonCannotWriteALocalDate();

    assertThat(classifier.classify(invalidDefinition)).isEqualTo(RECORD);
    assertThat(classifier.classify(new UncheckedIOException((IOException) invalidDefinition)))
        .isEqualTo(RECORD);
    assertThat(classifier.classify(new CompletionException(invalidDefinition))).isEqualTo(RECORD);
    assertThat(classifier.classify(new IllegalArgumentException("convertValue", invalidDefinition)))
        .isEqualTo(RECORD);
  }

  @Test
  void conversionFailuresAreAboutTheRecord() {
    assertThat(classifier.classify(new NumberFormatException("For input string: \"x\"")))
        .isEqualTo(RECORD);
    assertThat(classifier.classify(new ClassCastException())).isEqualTo(RECORD);
    assertThat(classifier.classify(new UncheckedIOException(new MalformedInputException(1))))
        .isEqualTo(RECORD);
    assertThat(classifier.classify(new ArithmeticException("overflow"))).isEqualTo(RECORD);
    assertThat(classifier.classify(new java.time.DateTimeException("out of range")))
        .isEqualTo(RECORD);
    assertThat(
            classifier.classify(
                new UncheckedIOException(
                    new IOException("bad field", new IllegalArgumentException()))))
        .isEqualTo(TRANSIENT);
  }

  @Test
  void sqlFailuresAreClassifiedBySqlStateClass() {
    assertThat(classifier.classify(new SQLException("duplicate key", "23505"))).isEqualTo(RECORD);
    assertThat(classifier.classify(new SQLException("value too long", "22001"))).isEqualTo(RECORD);
    assertThat(classifier.classify(new SQLException("connection refused", "08001")))
        .isEqualTo(TRANSIENT);
    assertThat(classifier.classify(new SQLException("deadlock detected", "40P01")))
        .isEqualTo(TRANSIENT);
    assertThat(classifier.classify(new SQLException("too many connections", "53300")))
        .isEqualTo(TRANSIENT);
    assertThat(classifier.classify(new SQLException("admin shutdown", "57P01")))
        .isEqualTo(TRANSIENT);
    assertThat(classifier.classify(new SQLException("timeout", "HYT00"))).isEqualTo(TRANSIENT);
    assertThat(classifier.classify(new SQLException("could not write block", "58030")))
        .isEqualTo(TRANSIENT);
  }

  @Test
  void sqlFailuresWithoutATellingStateAreClassifiedByTypeThenByTheirChains() {
    assertThat(classifier.classify(new SQLIntegrityConstraintViolationException("dup")))
        .isEqualTo(RECORD);
    assertThat(classifier.classify(new SQLDataException("too long"))).isEqualTo(RECORD);
    assertThat(classifier.classify(new SQLTimeoutException("slow"))).isEqualTo(TRANSIENT);
    assertThat(classifier.classify(new SQLRecoverableException("reconnect"))).isEqualTo(TRANSIENT);
    assertThat(classifier.classify(new SQLNonTransientConnectionException("gone")))
        .isEqualTo(TRANSIENT);
    assertThat(classifier.classify(batchFailure(null, new SQLException("dup", "23505"))))
        .isEqualTo(RECORD);
    assertThat(classifier.classify(batchFailure("23000", new SQLException("io", "08006"))))
        .isEqualTo(RECORD);
    assertThat(classifier.classify(batchFailure(null, new SQLException("io", "08006"))))
        .isEqualTo(TRANSIENT);
    assertThat(
            classifier.classify(
                new SQLException("connection lost", null, new ConnectException("refused"))))
        .isEqualTo(TRANSIENT);
  }

  @Test
  void anIoFailureOfTheSinkItselfIsTransientWhateverCausedIt() {
    Exception earlier = jacksonCannotWriteALocalDate();

    assertThat(classifier.classify(new IOException("sink failed earlier: restart", earlier)))
        .isEqualTo(TRANSIENT);
    assertThat(classifier.classify(new UncheckedIOException(new ConnectException("refused"))))
        .isEqualTo(TRANSIENT);
    assertThat(classifier.classify(new RuntimeException(new TimeoutException())))
        .isEqualTo(TRANSIENT);
  }

  @Test
  void collectsOwnTypesSayWhatTheyMean() {
    assertThat(
            classifier.classify(
                new RetriableCollectException("try later", new IllegalArgumentException())))
        .isEqualTo(TRANSIENT);
    assertThat(
            classifier.classify(
                new MalformedRecordException("bad", new IOException("while reading"))))
        .isEqualTo(RECORD);
    assertThat(classifier.classify(new RejectedRecordException("late", "too late")))
        .isEqualTo(RECORD);
    assertThat(classifier.classify(new IllegalStateException("anything else"))).isEqualTo(RECORD);
  }

  @Test
  void aCauseChainWithACycleStillEnds() {
    Exception a = new Exception("a");
    Exception b = new Exception("b", a);
    a.initCause(b);

    assertThat(classifier.classify(a)).isEqualTo(RECORD);
  }
}
