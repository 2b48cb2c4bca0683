package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.collect.core.fixtures.Click;
import dev.collect.core.privacy.Privacy;
import dev.collect.core.privacy.PrivacyKeys;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.core.testing.TestSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The root README's "Keys and record contents never reach the logs or the runtime's own exception
 * messages": runs that fail in every way a record can (malformed, invalid, a sink that fails and is
 * retried, a pipeline stopped by a record) over records carrying a marker, with a privacy key in
 * use; neither the marker nor the key appears in what the runtime logged (SLF4J's simple logger
 * writes to {@code System.err}, captured here) nor in the message of the exception it threw.
 */
@Timeout(60)
class LogPrivacyTest {
  private static final String MARKER = "jane-doe-4711";
  private static final String HMAC_KEY = "log-privacy-test-hmac-key";
  private static final PrivacyKeys KEYS =
      PrivacyKeys.builder().hmacKey(HMAC_KEY.getBytes(StandardCharsets.UTF_8)).build();
  private static final RetryPolicy FAST_RETRY =
      RetryPolicy.builder()
          .initialBackoff(Duration.ofMillis(1))
          .maxBackoff(Duration.ofMillis(5))
          .build();

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static final List<byte[]> INPUT =
      List.of(
          bytes("{\"id\":\"e1\",\"user\":\"" + MARKER + "\",\"type\":\"view\",\"position\":1}"),
          bytes("{\"id\":\"e2\",\"user\":\"" + MARKER + "\",\"type\":\"view\",\"posi"),
          bytes("{\"id\":\"e3\",\"user\":\"u3\",\"type\":\"" + MARKER + "\",\"position\":3}"),
          bytes("{\"id\":\"e4\",\"user\":\"" + MARKER + "\",\"type\":\"view\",\"position\":-4}"));

  @Test
  void failedRecordsAndRetriedSinksLeaveNoRecordContentOrKeyInTheLogs() {
    AtomicInteger writes = new AtomicInteger();
    TestSink<Click> written = new TestSink<>();
    Sink<Click> flaky =
        new Sink<>() {
          @Override
          public String name() {
            return "flaky";
          }

          @Override
          public void write(List<Envelope<Click>> batch) throws IOException {
            if (writes.incrementAndGet() <= 2) {
              throw new IOException("the disk is busy");
            }
            written.write(batch);
          }
        };
    TestDeadLetterSink dead = new TestDeadLetterSink();

    String logs =
        captureStandardError(
            () -> {
              RunReport report =
                  Pipeline.from(TestSource.of(INPUT))
                      .collect(Collector.json(Click.class))
                      .validate(Validator.bean(Click.class))
                      .map(Privacy.forType(Click.class, KEYS)::apply)
                      .to(flaky)
                      .deadLetters(dead)
                      .retry(FAST_RETRY)
                      .build()
                      .run();
              assertThat(report.written()).isEqualTo(1);
              assertThat(report.deadLettered()).isEqualTo(3);
              assertThat(report.invariantHolds()).isTrue();
            });

    assertThat(writes.get()).as("the sink failed twice, then wrote").isEqualTo(3);
    assertThat(written.values().get(0).user()).isNotEqualTo(MARKER);
    assertThat(logs).contains("pipeline 'pipeline'").doesNotContain(MARKER, HMAC_KEY);
  }

  @Test
  void aPipelineStoppedByARecordNamesNeitherItsContentInTheLogsNorInItsException() {
    String logs =
        captureStandardError(
            () -> {
              PipelineFailedException failure =
                  catchThrowableOfType(
                      PipelineFailedException.class,
                      () ->
                          Pipeline.from(TestSource.of(INPUT.subList(1, 2)))
                              .collect(Collector.json(Click.class))
                              .to(new TestSink<>())
                              .build()
                              .run());
              assertThat(failure).isNotNull();
              assertThat(failure.getMessage()).contains("malformed").doesNotContain(MARKER);
            });

    assertThat(logs).contains("no dead-letter sink").doesNotContain(MARKER);
  }

  /** What {@code run} wrote to {@code System.err}, where SLF4J's simple logger writes. */
  private static String captureStandardError(Runnable run) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      run.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
