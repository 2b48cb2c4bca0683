package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.spi.LaneKey;
import dev.collect.core.testing.TestSink;
import dev.collect.core.testing.TestSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Keys that implement {@link LaneKey} go to worker {@code lane mod workers}, in order. */
@Timeout(60)
class LaneKeyTest {

  record Shard(int id) implements LaneKey {
    @Override
    public int lane() {
      return id;
    }
  }

  @Test
  void laneKeysSpreadEvenlyOverTheWorkersAndKeepTheirOrder() {
    List<int[]> values = new ArrayList<>();
    for (int i = 0; i < 8_000; i++) {
      values.add(new int[] {i % 4, i});
    }
    Map<Integer, Set<String>> threadsOfShard = new ConcurrentHashMap<>();
    TestSink<int[]> sink = new TestSink<>();

    RunReport report =
        Pipeline.from(TestSource.of(values).keyedBy(v -> new Shard(v[0])).maxPerPoll(100))
            .map(
                v -> {
                  threadsOfShard
                      .computeIfAbsent(v[0], k -> ConcurrentHashMap.newKeySet())
                      .add(Thread.currentThread().getName());
                  return v;
                })
            .to(sink)
            .workers(2)
            .build()
            .run();

    assertThat(report.received())
        .isEqualTo(report.written() + report.deadLettered() + report.filtered());
    assertThat(report.written()).isEqualTo(8_000);
    // Shards 0 and 2 on one worker, 1 and 3 on the other: no worker is left idle.
    assertThat(threadsOfShard.get(0)).hasSize(1).isEqualTo(threadsOfShard.get(2));
    assertThat(threadsOfShard.get(1)).hasSize(1).isEqualTo(threadsOfShard.get(3));
    assertThat(threadsOfShard.get(0)).doesNotContainAnyElementsOf(threadsOfShard.get(1));
    Map<Integer, Integer> last = new HashMap<>();
    for (int[] v : sink.values()) {
      assertThat(v[1]).isGreaterThan(last.getOrDefault(v[0], -1));
      last.put(v[0], v[1]);
    }
  }
}
