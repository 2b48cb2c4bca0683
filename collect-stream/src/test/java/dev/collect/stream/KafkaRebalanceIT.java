package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.CheckpointStore;
import dev.collect.core.Envelope;
import dev.collect.core.PipelineContext;
import dev.collect.stream.internal.KafkaSourceImpl;
import dev.collect.stream.support.GroupLog;
import dev.collect.stream.support.KafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Kafka sources in one consumer group over many rebalances (members joining, leaving, expelled),
 * driven from the test thread so that every revocation and assignment is observed between polls: a
 * member whose partitions are revoked commits exactly the offsets it settled and drops the rest;
 * the next owner starts from the committed offsets; records are re-read only from dropped,
 * uncommitted tails.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KafkaRebalanceIT {
  private static KafkaBroker broker;

  private String topic;
  private GroupLog log;

  /** Deliveries per partition and offset, over all members. */
  private final Map<TopicPartition, Map<Long, Integer>> deliveries = new HashMap<>();

  /** Records delivered but unsettled when their partition was revoked, per partition and offset. */
  private final Map<TopicPartition, Map<Long, Integer>> dropped = new HashMap<>();

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.shared();
  }

  @Test
  void revokedMembersCommitWhatTheySettledAndNewOwnersStartThere() throws Exception {
    int partitions = 6;
    int perPartition = 1500;
    String group = setUp(partitions, perPartition);
    Map<String, Member> live = new LinkedHashMap<>();

    for (String change : List.of("+a", "+b", "+c", "-a", "+d", "-b", "+e", "-c")) {
      String name = change.substring(1);
      if (change.startsWith("+")) {
        live.put(name, new Member(name, group, 10, Map.of()));
      } else {
        live.remove(name).close();
      }
      stepUntilBalanced(live.values(), partitions);
    }
    for (Member m : live.values()) {
      m.settleAll();
      m.close();
    }
    Member last = new Member("z", group, 500, Map.of());
    readTheRest(last, (long) partitions * perPartition);

    assertThat(log.count(GroupLog.Kind.REVOKED)).isGreaterThanOrEqualTo(8);
    assertNothingLostAndDuplicatesOnlyFromDroppedTails(partitions, perPartition);
    assertThat(total(dropped))
        .as("some tails were dropped, so the bound was exercised")
        .isPositive();
    assertThat(log.committed(allPartitions(partitions)).values()).containsOnly((long) perPartition);
    System.out.printf(
        "kafka rebalances: %d revocations, %d assignments, %d records re-read from %d dropped%n",
        log.count(GroupLog.Kind.REVOKED),
        log.count(GroupLog.Kind.ASSIGNED),
        total(deliveries) - (long) partitions * perPartition,
        total(dropped));
  }

  @Test
  void anExpelledMemberCommitsNothingAndItsPartitionsAreReadAgainFromTheCommittedOffsets()
      throws Exception {
    String group = setUp(2, 400);
    Member x = new Member("x", group, 10, Map.of("max.poll.interval.ms", "1500"));
    Member y = new Member("y", group, 10, Map.of());
    stepUntilBalanced(List.of(x, y), 2);
    TopicPartition lostByX = x.owned.iterator().next();
    Map<TopicPartition, Long> settledByX = Map.copyOf(x.settledNext);
    assertThat(x.unsettled).isNotEmpty();

    // x stops polling: expelled after max.poll.interval.ms; y, settling nothing, takes over
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!y.owned.contains(lostByX)) {
      assertThat(System.nanoTime()).as("y took over x's partition").isLessThan(deadline);
      y.step();
    }
    Long committedAtTakeover = log.committed(Set.of(lostByX)).get(lostByX);
    x.source.commit(x.unsettled.get(x.unsettled.size() - 1).position()); // x settles its tail late
    x.step(); // x learns it was expelled
    Long committedAfterX = log.committed(Set.of(lostByX)).get(lostByX);
    stepUntilBalanced(List.of(x, y), 2);
    x.settleAll();
    y.settleAll();
    x.close();
    y.close();
    Member last = new Member("z", group, 500, Map.of());
    readTheRest(last, 800);

    assertThat(committedAtTakeover).isEqualTo(settledByX.get(lostByX));
    assertThat(committedAfterX).as("x's late commit moved nothing").isEqualTo(committedAtTakeover);
    assertThat(y.firstOffsets.get(lostByX)).isEqualTo(committedAtTakeover);
    assertNothingLostAndDuplicatesOnlyFromDroppedTails(2, 400);
  }

  /**
   * A commit refused while the member is rebalancing is stored later even when no record comes
   * after it, although the same rebalance's revocation commits another partition successfully (that
   * success once counted as the refused commit's retry and left the offset behind for good at the
   * end of a run). A silent third member keeps the rebalance open, so that the refusal is certain.
   */
  @Test
  void aCommitRefusedDuringARebalanceIsStoredAfterItWithoutNewRecords() throws Exception {
    String group = setUp(3, 3000);
    Member x = new Member("x", group, 10, Map.of());
    Member y = new Member("y", group, 10, Map.of());
    stepUntilBalanced(List.of(x, y), 3);
    Member a = x.owned.size() == 2 ? x : y; // gives one partition to the newcomer
    Member silent = a == x ? y : x;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (a.unsettledPartitions() < 2) {
      assertThat(System.nanoTime()).as("a holds records of both partitions").isLessThan(deadline);
      a.step();
    }
    Member b = new Member("b", group, 10, Map.of());
    while (groupState(group) != GroupState.PREPARING_REBALANCE) {
      assertThat(System.nanoTime()).as("b's join started a rebalance").isLessThan(deadline);
      b.step();
    }
    Thread.sleep(1000); // a's heartbeat learns of the rebalance
    a.step(); // a joins; the rebalance waits for the silent member
    Map<TopicPartition, Long> before = log.committed(a.owned);
    a.settleAll();
    assertThat(log.committed(a.owned)).as("the commit was refused").isEqualTo(before);
    Map<TopicPartition, Long> settledByA = Map.copyOf(a.settledNext);
    while (a.owned.size() != 1 || b.owned.size() != 1 || silent.owned.size() != 1) {
      assertThat(System.nanoTime()).as("the group balanced:\n%s", log).isLessThan(deadline);
      a.step();
      b.step();
      silent.step();
    }
    TopicPartition kept = a.owned.iterator().next();
    for (int i = 0; i < 5; i++) {
      a.step(); // polls; a settles nothing more
    }

    assertThat(log.committed(Set.of(kept)).get(kept))
        .as("what a settled of %s while rebalancing", kept)
        .isEqualTo(settledByA.get(kept));
    for (Member m : List.of(a, b, silent)) {
      m.close();
    }
  }

  private GroupState groupState(String group) throws Exception {
    return broker
        .admin()
        .describeConsumerGroups(List.of(group))
        .all()
        .get(10, TimeUnit.SECONDS)
        .get(group)
        .groupState();
  }

  private String setUp(int partitions, int perPartition) throws Exception {
    topic = "rebalance-" + System.nanoTime();
    String group = "g-" + topic;
    broker.createTopic(topic, partitions);
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      for (int i = 0; i < partitions * perPartition; i++) {
        sent.add(producer.send(new ProducerRecord<>(topic, i % partitions, null, new byte[] {1})));
      }
    }
    for (Future<RecordMetadata> f : sent) {
      f.get(); // a record the broker refused fails here, not as a hang in the last reader
    }
    log = new GroupLog(broker.admin(), group);
    return group;
  }

  /**
   * Steps every member until each has partitions, none shares one and together they hold all, for
   * ten rounds in a row; each member settles the older half of what it holds after each step.
   */
  private void stepUntilBalanced(Iterable<Member> members, int partitions) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    int balancedRounds = 0;
    while (balancedRounds < 10) {
      assertThat(System.nanoTime()).as("the group balanced:\n%s", log).isLessThan(deadline);
      Set<TopicPartition> union = new HashSet<>();
      int owned = 0;
      boolean everyoneHasSome = true;
      for (Member m : members) {
        m.step();
        m.settleHalf();
        union.addAll(m.owned);
        owned += m.owned.size();
        everyoneHasSome &= !m.owned.isEmpty();
      }
      boolean balanced = everyoneHasSome && union.size() == partitions && owned == partitions;
      balancedRounds = balanced ? balancedRounds + 1 : 0;
    }
  }

  /** Reads with {@code last} until every offset was delivered to someone, then closes it. */
  private void readTheRest(Member last, long records) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    while (delivered() < records) {
      assertThat(System.nanoTime())
          .as("all %d records delivered (%d so far):\n%s", records, delivered(), log)
          .isLessThan(deadline);
      last.step();
      last.settleAll();
    }
    last.close();
  }

  private void assertNothingLostAndDuplicatesOnlyFromDroppedTails(int partitions, int per) {
    for (TopicPartition tp : allPartitions(partitions)) {
      Map<Long, Integer> seen = deliveries.getOrDefault(tp, Map.of());
      assertThat(seen.keySet()).as("every offset of %s delivered", tp).hasSize(per);
      Map<Long, Integer> drops = dropped.getOrDefault(tp, Map.of());
      seen.forEach(
          (offset, times) ->
              assertThat(times - 1)
                  .as("re-deliveries of %s@%d, dropped %d times", tp, offset, drops.get(offset))
                  .isLessThanOrEqualTo(drops.getOrDefault(offset, 0)));
    }
  }

  private Set<TopicPartition> allPartitions(int partitions) {
    Set<TopicPartition> out = new HashSet<>();
    for (int p = 0; p < partitions; p++) {
      out.add(new TopicPartition(topic, p));
    }
    return out;
  }

  private long delivered() {
    return deliveries.values().stream().mapToLong(Map::size).sum();
  }

  private static long total(Map<TopicPartition, Map<Long, Integer>> counts) {
    return counts.values().stream()
        .flatMap(m -> m.values().stream())
        .mapToLong(Integer::longValue)
        .sum();
  }

  /**
   * One member, polled by the test thread; settling the records up to one commits that record's
   * position, as the runtime does once everything before it is written.
   */
  private final class Member {
    final String name;
    final int maxRecords;
    final KafkaSourceImpl source;
    final List<Envelope<byte[]>> unsettled = new ArrayList<>();

    /** Offsets this member settled since it got each partition it owns. */
    final Map<TopicPartition, Long> settledNext = new HashMap<>();

    /** The group's committed offset of each owned partition when it was assigned (or absent). */
    final Map<TopicPartition, Long> committedAtAssignment = new HashMap<>();

    final Map<TopicPartition, Long> expectedStart = new HashMap<>();
    final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
    Set<TopicPartition> owned = Set.of();

    Member(String name, String group, int maxRecords, Map<String, String> props) {
      this.name = name;
      this.maxRecords = maxRecords;
      Map<String, String> all = new HashMap<>(props);
      all.put("session.timeout.ms", "6000");
      all.put("heartbeat.interval.ms", "300");
      source =
          (KafkaSourceImpl)
              Kafka.source(
                  KafkaSourceConfig.builder()
                      .bootstrapServers(broker.bootstrapServers())
                      .groupId(group)
                      .topics(topic)
                      .properties(all)
                      .build());
      source.open(new PipelineContext(name, new SimpleMeterRegistry(), CheckpointStore.inMemory()));
    }

    void step() throws Exception {
      List<Envelope<byte[]>> got = source.poll(maxRecords, Duration.ofMillis(10));
      changed(source.assignment());
      for (Envelope<byte[]> e : got) {
        KafkaPosition p = (KafkaPosition) e.position();
        TopicPartition tp = new TopicPartition(p.topic(), p.partition());
        Long start = expectedStart.remove(tp);
        if (start != null) {
          firstOffsets.put(tp, p.offset());
          assertThat(p.offset())
              .as("%s starts %s at the committed offset", name, tp)
              .isEqualTo(start);
        }
        deliveries.computeIfAbsent(tp, k -> new HashMap<>()).merge(p.offset(), 1, Integer::sum);
      }
      unsettled.addAll(got);
    }

    private void changed(Set<TopicPartition> now) throws Exception {
      for (GroupLog.Event event : log.observe(name, owned, now)) {
        for (TopicPartition tp : event.partitions()) {
          if (event.kind() == GroupLog.Kind.REVOKED) {
            Long expected =
                settledNext.containsKey(tp) ? settledNext.get(tp) : committedAtAssignment.get(tp);
            assertThat(event.committed().get(tp))
                .as("%s committed exactly what it settled of %s:\n%s", name, tp, log)
                .isEqualTo(expected);
            settledNext.remove(tp);
            committedAtAssignment.remove(tp);
            expectedStart.remove(tp);
            unsettled.removeIf(
                e -> {
                  KafkaPosition p = (KafkaPosition) e.position();
                  boolean drop = p.partition() == tp.partition();
                  if (drop) {
                    dropped
                        .computeIfAbsent(tp, k -> new HashMap<>())
                        .merge(p.offset(), 1, Integer::sum);
                  }
                  return drop;
                });
          } else {
            Long committed = event.committed().get(tp);
            if (committed != null) {
              committedAtAssignment.put(tp, committed);
            }
            expectedStart.put(tp, Objects.requireNonNullElse(committed, 0L));
          }
        }
      }
      owned = Set.copyOf(now);
    }

    /** How many partitions the unsettled records come from. */
    long unsettledPartitions() {
      return unsettled.stream()
          .map(e -> ((KafkaPosition) e.position()).partition())
          .distinct()
          .count();
    }

    void settleHalf() {
      settle(unsettled.size() / 2);
    }

    void settleAll() {
      settle(unsettled.size());
    }

    private void settle(int n) {
      if (n == 0) {
        return;
      }
      source.commit(unsettled.get(n - 1).position());
      for (Envelope<byte[]> e : unsettled.subList(0, n)) {
        KafkaPosition p = (KafkaPosition) e.position();
        settledNext.merge(new TopicPartition(p.topic(), p.partition()), p.offset() + 1, Math::max);
      }
      unsettled.subList(0, n).clear();
    }

    void close() throws Exception {
      source.close();
      changed(Set.of());
    }
  }
}
