package dev.collect.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.testing.TestClock;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The replay guard remembers a signature for exactly as long as its timestamp is accepted. */
class ReplayGuardTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  private final TestClock clock = TestClock.at(T);

  private static byte[] mac(int n) {
    return ByteBuffer.allocate(4).putInt(n).array();
  }

  @Test
  void aSignatureIsRefusedAgainWhileItsTimestampIsWithinTheTolerance() {
    ReplayGuard guard = new ReplayGuard(1000, Duration.ofSeconds(300), clock);
    long timestamp = T.getEpochSecond();

    boolean first = guard.reserve(mac(1), timestamp);
    clock.advance(Duration.ofSeconds(300)); // the last second the timestamp is accepted
    boolean atTheEdge = guard.reserve(mac(1), timestamp);
    clock.advance(Duration.ofSeconds(1)); // the timestamp is refused as stale from now on
    boolean afterwards = guard.reserve(mac(1), timestamp);

    assertThat(first).isTrue();
    assertThat(atTheEdge).isFalse();
    assertThat(afterwards).isTrue();
  }

  @Test
  void aReleasedSignatureMayBeSentAgain() {
    ReplayGuard guard = new ReplayGuard(1000, Duration.ofSeconds(300), clock);
    long timestamp = T.getEpochSecond();
    guard.reserve(mac(7), timestamp);

    guard.release(mac(7));

    assertThat(guard.reserve(mac(7), timestamp)).isTrue();
    assertThat(guard.reserve(mac(7), timestamp)).isFalse();
  }

  @Test
  void memoryStaysWithinTheBound() {
    ReplayGuard guard = new ReplayGuard(50, Duration.ofSeconds(300), clock);

    for (int i = 0; i < 10_000; i++) {
      guard.reserve(mac(i), T.getEpochSecond());
    }

    assertThat(guard.size()).isLessThanOrEqualTo(50);
  }

  @Test
  void expiredSignaturesLeaveEvenUnderTheBound() {
    ReplayGuard guard = new ReplayGuard(1000, Duration.ofSeconds(60), clock);
    for (int i = 0; i < 100; i++) {
      guard.reserve(mac(i), T.getEpochSecond());
    }

    clock.advance(Duration.ofSeconds(61));

    assertThat(guard.size()).isZero();
  }
}
