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

    assertThat(report.invariantHolds()).isTrue();
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

  @Test
  void negativeLanesGoToWorkerLaneFloorModWorkers() {
    // floorMod over 3 workers: -1 -> 2, -2 -> 1, -3 -> 0, -4 -> 2, -2^31 -> 1 (2^31 = 3q + 2).
    Map<Integer, String> expected =
        Map.of(
            -1,
            "collect-lanes-worker-2",
            -2,
            "collect-lanes-worker-1",
            -3,
            "collect-lanes-worker-0",
            -4,
            "collect-lanes-worker-2",
            Integer.MIN_VALUE,
            "collect-lanes-worker-1");
    List<Integer> lanes = List.copyOf(expected.keySet());
    List<int[]> values = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      values.add(new int[] {lanes.get(i % lanes.size()), i});
    }
    Map<Integer, Set<String>> threadsOfLane = new ConcurrentHashMap<>();

    RunReport report =
        Pipeline.from(TestSource.of(values).keyedBy(v -> new Shard(v[0])).maxPerPoll(100))
            .map(
                v -> {
                  threadsOfLane
                      .computeIfAbsent(v[0], k -> ConcurrentHashMap.newKeySet())
                      .add(Thread.currentThread().getName());
                  return v;
                })
            .to(new TestSink<int[]>())
            .workers(3)
            .name("lanes")
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.written()).isEqualTo(1_000);
    for (Map.Entry<Integer, String> lane : expected.entrySet()) {
      assertThat(threadsOfLane.get(lane.getKey()))
          .as("lane %d", lane.getKey())
          .containsExactly(lane.getValue());
    }
  }
}
