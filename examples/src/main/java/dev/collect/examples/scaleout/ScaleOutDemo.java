package dev.collect.examples.scaleout;

import dev.collect.examples.support.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Scale-out: the clickstream pipeline as several processes in one Kafka consumer group, writing one
 * Parquet lake. Kafka spreads the topic's partitions over the processes and moves them when one
 * joins, leaves or dies; each process commits only what it wrote; the lake gives each process its
 * own run directory and file names. The demo starts three worker processes while a producer writes,
 * SIGKILLs one, restarts it, and prints what each wrote and what DuckDB reads back: nothing lost,
 * and duplicates only from the killed or revoked members' uncommitted tails.
 *
 * <p>{@code --curve} measures instead the throughput of 1, 2 and 3 worker processes (events already
 * in the topic, from all workers ready until the group committed the last one) and the time from a
 * SIGKILL until the killed worker's partitions are consumed and committed again by the others.
 *
 * <p>Starts a Kafka broker in this JVM unless {@code --bootstrap host:9092} is given.
 */
public final class ScaleOutDemo {
  static final int PARTITIONS = 6;

  private ScaleOutDemo() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--worker")) {
      System.exit(
          ScaleOutWorker.run(
              args[1],
              args[2],
              args[3],
              Path.of(args[4]),
              args[5],
              Path.of(args[6]),
              Integer.parseInt(args[7])));
    }
    boolean curve = false;
    long events = 200_000;
    int rate = 2000;
    int seconds = 15;
    int session = 1500;
    String bootstrap = null;
    Path out = Path.of("collect-out/scaleout");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--curve" -> curve = true;
        case "--events" -> events = Long.parseLong(args[++i]);
        case "--rate" -> rate = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--session-ms" -> session = Integer.parseInt(args[++i]);
        case "--bootstrap" -> bootstrap = args[++i];
        case "--out" -> out = Path.of(args[++i]);
        default -> {
          System.out.println(
              "Usage: ScaleOutDemo [--rate EVENTS_PER_S, default 2000] [--seconds S, default 15]"
                  + " | --curve [--events N, default 200000]"
                  + " [--session-ms MS, default 1500] [--bootstrap host:9092, default an in-JVM"
                  + " broker] [--out DIR]");
          return;
        }
      }
    }
    String run = Long.toString(System.currentTimeMillis(), 36);
    try (EmbeddedKafka embedded = bootstrap == null ? EmbeddedKafka.start() : null) {
      String servers = bootstrap == null ? embedded.bootstrapServers() : bootstrap;
      if (curve) {
        curve(servers, out.resolve(run), events, session);
      } else {
        demo(servers, out.resolve(run), rate, seconds, session);
      }
    }
  }

  /** Three workers, one killed at a third of the time and restarted at two thirds. */
  static void demo(String servers, Path dir, int rate, int seconds, int session) throws Exception {
    try (Fleet fleet = new Fleet(servers, "clicks-demo", PARTITIONS, dir, session);
        ClickProducer producer = new ClickProducer(servers, fleet.topic())) {
      for (String name : List.of("a", "b", "c")) {
        fleet.start(name);
      }
      producer.start(0, rate);
      Thread.sleep(seconds * 1000L / 3);
      double failover = killAndTimeFailover(fleet, "b");
      System.out.printf(
          Locale.ROOT, "SIGKILLed b; its partitions consumed again after %.1f s%n", failover);
      Thread.sleep(seconds * 1000L / 3);
      fleet.start("b");
      System.out.println("restarted b");
      Thread.sleep(seconds * 1000L / 3);
      producer.stop();
      fleet.awaitCaughtUp(Duration.ofSeconds(60));
      Map<String, Integer> exits = fleet.stopAll();
      long produced = fleet.ends().values().stream().mapToLong(Long::longValue).sum();
      System.out.println("exit codes (0: every record received was settled): " + exits);
      for (List<Object> row :
          fleet.query("SELECT writer, count(*) FROM {lake} GROUP BY writer ORDER BY writer")) {
        System.out.printf("  %-16s wrote %,d rows%n", row.get(0), row.get(1));
      }
      List<Object> totals =
          fleet.query("SELECT count(*), count(DISTINCT (part, off)) FROM {lake}").get(0);
      long rows = ((Number) totals.get(0)).longValue();
      long distinct = ((Number) totals.get(1)).longValue();
      System.out.printf(
          Locale.ROOT,
          "produced %,d; the lake (DuckDB) holds %,d rows, %,d distinct: %,d lost, %,d duplicates"
              + " (uncommitted tails of the killed and revoked members)%nlake: %s%n",
          produced,
          rows,
          distinct,
          produced - distinct,
          rows - distinct,
          fleet.lake());
    }
  }

  /**
   * SIGKILLs {@code name} while the producer writes and returns the seconds until every partition
   * it held has been committed past its end offset at the kill, by another member.
   */
  static double killAndTimeFailover(Fleet fleet, String name) throws Exception {
    Set<TopicPartition> held = holdings(fleet, name);
    Map<TopicPartition, Long> ends = fleet.ends();
    long killed = System.nanoTime();
    fleet.kill(name);
    while (true) {
      Map<TopicPartition, Long> committed = fleet.committed();
      boolean moved = true;
      for (TopicPartition tp : held) {
        moved &= committed.getOrDefault(tp, 0L) > ends.get(tp);
      }
      if (moved) {
        return (System.nanoTime() - killed) / 1e9;
      }
      if (System.nanoTime() - killed > Duration.ofSeconds(120).toNanos()) {
        throw new IllegalStateException("partitions " + held + " not consumed again");
      }
      Thread.sleep(20);
    }
  }

  /** The partitions {@code name} holds, once the group says it holds some. */
  static Set<TopicPartition> holdings(Fleet fleet, String name) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      Map<String, Set<TopicPartition>> assignment = fleet.assignment();
      Set<TopicPartition> held = assignment.getOrDefault(name, Set.of());
      if (!held.isEmpty()) {
        return held;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " holds no partition: " + assignment);
      }
      Thread.sleep(50);
    }
  }

  /** Throughput of 1, 2 and 3 workers, and failover time with 2 and 3. */
  static void curve(String servers, Path dir, long events, int session) throws Exception {
    List<String> lines = new ArrayList<>();
    Map<Integer, Double> rates = new HashMap<>();
    for (int n = 1; n <= 3; n++) {
      try (Fleet fleet =
          new Fleet(servers, "clicks-curve-" + n, PARTITIONS, dir.resolve("n" + n), session)) {
        List<String> names = List.of("a", "b", "c").subList(0, n);
        long producing = System.nanoTime();
        try (ClickProducer producer = new ClickProducer(servers, fleet.topic())) {
          producer.start(events, 0).awaitDone();
        }
        double produceSeconds = (System.nanoTime() - producing) / 1e9;
        fleet.startAll(names); // started together; the clock runs once all are ready
        long start = System.nanoTime();
        fleet.awaitCaughtUp(Duration.ofMinutes(10));
        double seconds = (System.nanoTime() - start) / 1e9;
        rates.put(n, events / seconds);
        String failover = "";
        if (n > 1) {
          try (ClickProducer trickle = new ClickProducer(servers, fleet.topic())) {
            trickle.start(0, 2000);
            Thread.sleep(1000);
            failover =
                String.format(
                    Locale.ROOT,
                    ", SIGKILL to moved partitions committed again %.2f s",
                    killAndTimeFailover(fleet, names.get(n - 1)));
            trickle.stop();
          }
        }
        fleet.awaitCaughtUp(Duration.ofMinutes(2));
        fleet.stopAll();
        List<Object> totals =
            fleet.query("SELECT count(*), count(DISTINCT (part, off)) FROM {lake}").get(0);
        long produced = fleet.ends().values().stream().mapToLong(Long::longValue).sum();
        lines.add(
            String.format(
                Locale.ROOT,
                "%d process(es): %,.0f events/s from Kafka into the lake (%,d events in %.1f s,"
                    + " produced beforehand in %.1f s)%s; lake: %s rows, %s distinct of %,d"
                    + " produced",
                n,
                events / seconds,
                events,
                seconds,
                produceSeconds,
                failover,
                totals.get(0),
                totals.get(1),
                produced));
        System.out.println(lines.get(lines.size() - 1));
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%nscale-out curve (%d partitions, session timeout %d ms, %d cores):%n",
        PARTITIONS,
        session,
        Runtime.getRuntime().availableProcessors());
    lines.forEach(System.out::println);
    System.out.printf(
        Locale.ROOT,
        "speed-up: 2 processes %.2fx, 3 processes %.2fx%n",
        rates.get(2) / rates.get(1),
        rates.get(3) / rates.get(1));
  }

  /** Waits until {@code n} members hold all partitions between them. */
  static void awaitBalanced(Fleet fleet, int n) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      Map<String, Set<TopicPartition>> assignment = fleet.assignment();
      int held = assignment.values().stream().mapToInt(Set::size).sum();
      if (assignment.size() == n
          && held == PARTITIONS
          && assignment.values().stream().noneMatch(Set::isEmpty)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("group not balanced: " + assignment);
      }
      Thread.sleep(50);
    }
  }
}
