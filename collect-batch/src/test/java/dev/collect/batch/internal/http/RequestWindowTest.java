package dev.collect.batch.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestWindowTest {
  private long now;
  private final List<Long> sleeps = new ArrayList<>();
  private final RequestWindow window =
      new RequestWindow(
          3,
          () -> now,
          nanos -> {
            sleeps.add(nanos);
            now += nanos;
          });

  private void request(long durationNanos) throws InterruptedException {
    window.acquire();
    now += durationNanos;
    window.release();
  }

  @Test
  void aRequestStartsOneSecondAfterTheEndOfTheLimitthRequestBeforeIt() throws Exception {
    request(100_000_000); // ends at 0.1 s
    request(100_000_000); // ends at 0.2 s
    request(100_000_000); // ends at 0.3 s

    request(0); // the fourth may start at 1.1 s, a second after the first ended
    request(0); // the fifth at 1.2 s

    assertThat(sleeps).containsExactly(800_000_000L, 100_000_000L);
    assertThat(now).isEqualTo(1_200_000_000L);
  }

  @Test
  void requestsStartingMoreThanAThirdOfASecondApartNeverWait() throws Exception {
    for (int i = 0; i < 10; i++) {
      request(10_000_000);
      now += 340_000_000; // idle
    }

    assertThat(sleeps).isEmpty();
  }
}
