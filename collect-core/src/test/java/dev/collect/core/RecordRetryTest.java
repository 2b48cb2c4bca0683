package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.core.testing.TestSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Record stages retry transient failures up to the policy's attempts, and nothing else. */
@Timeout(60)
class RecordRetryTest {
  private static final RetryPolicy FOUR_FAST_ATTEMPTS =
      RetryPolicy.builder()
          .maxAttempts(4)
          .initialBackoff(Duration.ofMillis(1))
          .maxBackoff(Duration.ofMillis(2))
          .build();

  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  private int call(String value) {
    return calls.computeIfAbsent(value, k -> new AtomicInteger()).incrementAndGet();
  }

  @Test
  void aTransientMapFailureIsTriedMaxAttemptsTimesThenDeadLetteredAsRetryable() {
    TestSink<String> sink = new TestSink<>();
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(TestSource.of(List.of("ok", "flaky", "down")))
            .map(
                "enrich",
                v -> {
                  int n = call(v);
                  if (v.equals("down") || (v.equals("flaky") && n < 3)) {
                    throw new UncheckedIOException(new IOException("unreachable"));
                  }
                  return v;
                })
            .to(sink)
            .deadLetters(dead)
            .retry(FOUR_FAST_ATTEMPTS)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(sink.values()).containsExactly("ok", "flaky");
    assertThat(calls.get("flaky")).hasValue(3);
    assertThat(calls.get("down")).hasValue(4);
    assertThat(report.retried()).isEqualTo(2 + 3);
    assertThat(dead.letters())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.reason()).isEqualTo("retries_exhausted");
              assertThat(l.retryable()).isTrue();
              assertThat(l.attempts()).isEqualTo(4);
              assertThat(l.firstFailure()).isBeforeOrEqualTo(l.lastFailure());
            });
  }

  @Test
  void aFailureAboutTheRecordIsNotRetried() {
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(TestSource.of(List.of("bad")))
            .map(
                "parse",
                v -> {
                  call(v);
                  throw new IllegalArgumentException("not a number");
                })
            .to(new TestSink<>())
            .deadLetters(dead)
            .retry(FOUR_FAST_ATTEMPTS)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(calls.get("bad")).hasValue(1);
    assertThat(report.retried()).isZero();
    assertThat(dead.letters()).extracting(DeadLetter::attempts).containsExactly(1);
  }

  @Test
  void aCollectorThatEmittedBeforeFailingIsNotRetried() {
    TestSink<String> sink = new TestSink<>();
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(TestSource.of(List.of("a,b")))
            .collect(
                "split",
                (Envelope<String> in, Collector.Output<String> out) -> {
                  call(in.value());
                  out.emit(in.value().split(",")[0]);
                  throw new IOException("lost the rest");
                })
            .to(sink)
            .deadLetters(dead)
            .retry(FOUR_FAST_ATTEMPTS)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(calls.get("a,b")).hasValue(1);
    assertThat(sink.values()).containsExactly("a");
    assertThat(report.retried()).isZero();
    assertThat(dead.letters()).extracting(DeadLetter::attempts).containsExactly(1);
  }

  @Test
  void aTransientCollectorFailureIsRetriedUntilItEmits() {
    TestSink<String> sink = new TestSink<>();

    RunReport report =
        Pipeline.from(TestSource.of(List.of("x")))
            .collect(
                "fetch",
                (Envelope<String> in, Collector.Output<String> out) -> {
                  if (call(in.value()) < 4) {
                    throw new IOException("timeout");
                  }
                  out.emit(in.value());
                })
            .to(sink)
            .deadLetters(new TestDeadLetterSink())
            .retry(FOUR_FAST_ATTEMPTS)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(sink.values()).containsExactly("x");
    assertThat(report.retried()).isEqualTo(3);
  }
}
