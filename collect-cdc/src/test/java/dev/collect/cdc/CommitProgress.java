package dev.collect.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges whether a committed position kept advancing under load (test support): samples are {@code
 * {System.nanoTime(), position}} pairs, positions comparable as longs.
 */
final class CommitProgress {
  private CommitProgress() {}

  /**
   * Fails unless {@code samples} advance during the load and then never stand still for more than
   * two commit intervals until its end. The first advance may wait for warm-up.
   */
  static void assertAdvancesEveryTwoIntervals(
      String what, List<long[]> samples, long loadStart, long loadEnd, Duration commitInterval) {
    long bound = 2 * commitInterval.toNanos();
    long value = samples.isEmpty() ? 0 : samples.get(0)[1];
    for (long[] s : samples) {
      value = s[0] <= loadStart ? Math.max(value, s[1]) : value;
    }
    long lastAdvance = -1;
    List<String> advances = new ArrayList<>();
    for (long[] s : samples) {
      if (s[0] <= loadStart || s[0] > loadEnd || s[1] <= value) {
        continue;
      }
      if (lastAdvance >= 0) {
        assertThat(s[0] - lastAdvance)
            .as(
                what + " stood still from %.2f s to %.2f s; advances at %s",
                secs(lastAdvance, loadStart),
                secs(s[0], loadStart),
                advances)
            .isLessThanOrEqualTo(bound);
      }
      lastAdvance = s[0];
      value = s[1];
      advances.add(String.format("%.2f", secs(s[0], loadStart)));
    }
    assertThat(lastAdvance).as(what + " never advanced under load").isNotNegative();
    assertThat(loadEnd - lastAdvance)
        .as(
            what + " stood still from %.2f s to the load's end; advances at %s",
            secs(lastAdvance, loadStart),
            advances)
        .isLessThanOrEqualTo(bound);
  }

  private static double secs(long nanos, long origin) {
    return (nanos - origin) / 1e9;
  }
}
