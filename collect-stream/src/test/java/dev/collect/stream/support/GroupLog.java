package dev.collect.stream.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What a consumer group's members were given and lost, as seen between their polls, each event with
 * the group's committed offsets of its partitions read right after it (null: none committed).
 * Thread-safe.
 */
public final class GroupLog {
  /** Assigned: the member got the partitions; revoked: it no longer has them. */
  public enum Kind {
    ASSIGNED,
    REVOKED
  }

  /** One change of one member's assignment. */
  public record Event(
      int seq,
      String member,
      Kind kind,
      Set<TopicPartition> partitions,
      Map<TopicPartition, Long> committed) {}

  private final Admin admin;
  private final String group;
  private final List<Event> events = new ArrayList<>();

  public GroupLog(Admin admin, String group) {
    this.admin = admin;
    this.group = group;
  }

  /**
   * Records what changed from {@code before} to {@code after} for {@code member}: revocations
   * first, then assignments.
   */
  public synchronized List<Event> observe(
      String member, Set<TopicPartition> before, Set<TopicPartition> after) throws Exception {
    Set<TopicPartition> revoked = new HashSet<>(before);
    revoked.removeAll(after);
    Set<TopicPartition> assigned = new HashSet<>(after);
    assigned.removeAll(before);
    List<Event> out = new ArrayList<>();
    if (!revoked.isEmpty()) {
      out.add(add(member, Kind.REVOKED, revoked));
    }
    if (!assigned.isEmpty()) {
      out.add(add(member, Kind.ASSIGNED, assigned));
    }
    return out;
  }

  private Event add(String member, Kind kind, Set<TopicPartition> partitions) throws Exception {
    Event e = new Event(events.size(), member, kind, Set.copyOf(partitions), committed(partitions));
    events.add(e);
    return e;
  }

  /** The group's committed offsets now of {@code partitions} (absent: none committed). */
  public Map<TopicPartition, Long> committed(Set<TopicPartition> partitions) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> all =
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(10, TimeUnit.SECONDS);
    Map<TopicPartition, Long> out = new HashMap<>();
    for (TopicPartition tp : partitions) {
      OffsetAndMetadata o = all.get(tp);
      if (o != null) {
        out.put(tp, o.offset());
      }
    }
    return out;
  }

  public synchronized List<Event> events() {
    return List.copyOf(events);
  }

  public synchronized long count(Kind kind) {
    return events.stream().filter(e -> e.kind() == kind).count();
  }

  @Override
  public synchronized String toString() {
    StringBuilder sb = new StringBuilder();
    for (Event e : events) {
      sb.append(e).append('\n');
    }
    return sb.toString();
  }
}
