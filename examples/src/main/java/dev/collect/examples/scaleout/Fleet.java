package dev.collect.examples.scaleout;

import dev.collect.examples.support.ProgramClassPath;
import dev.collect.stream.Kafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Worker processes of one consumer group writing one lake, started as separate JVMs on this JVM's
 * class path; with the group's view from Kafka's admin client. Not thread-safe.
 */
public final class Fleet implements AutoCloseable {
  private final String servers;
  private final String topic;
  private final String group;
  private final Path dir;
  private final int sessionMillis;
  private final Admin admin;
  private final Map<String, Process> processes = new LinkedHashMap<>();
  private final Map<String, Integer> incarnations = new HashMap<>();

  /** A fleet reading {@code topic} (created with {@code partitions}) into {@code dir/lake}. */
  public Fleet(String servers, String topic, int partitions, Path dir, int sessionMillis)
      throws Exception {
    this.servers = servers;
    this.topic = topic;
    this.group = "collectors-" + topic;
    this.dir = Files.createDirectories(dir);
    this.sessionMillis = sessionMillis;
    this.admin = Admin.create(Map.of("bootstrap.servers", servers));
    Kafka.createTopics(admin, partitions, Duration.ofSeconds(30), topic);
  }

  public Path lake() {
    return dir.resolve("lake");
  }

  public String topic() {
    return topic;
  }

  /** Starts worker {@code name} (again, after a kill) and returns once it says it is ready. */
  public void start(String name) throws Exception {
    awaitReady(name, launch(name));
  }

  /** Starts workers {@code names} at once and returns when all say they are ready. */
  public void startAll(List<String> names) throws Exception {
    Map<String, Path> logs = new LinkedHashMap<>();
    for (String name : names) {
      logs.put(name, launch(name));
    }
    for (Map.Entry<String, Path> e : logs.entrySet()) {
      awaitReady(e.getKey(), e.getValue());
    }
  }

  private Path launch(String name) throws Exception {
    int n = incarnations.merge(name, 1, Integer::sum);
    Path log = dir.resolve(name + "-" + n + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    command.addAll(List.of("-cp", ProgramClassPath.current()));
    command.add(ScaleOutDemo.class.getName());
    command.addAll(
        ScaleOutWorker.args(
            servers, topic, group, lake(), name, dir.resolve("stop"), sessionMillis));
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    processes.put(name, p);
    return log;
  }

  private void awaitReady(String name, Path log) throws Exception {
    Process p = processes.get(name);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(log) || !Files.readString(log).contains(ScaleOutWorker.READY)) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("worker " + name + " did not start; see " + log);
      }
      Thread.sleep(50);
    }
  }

  /** SIGKILLs worker {@code name} (on Linux {@code destroyForcibly} sends SIGKILL). */
  public void kill(String name) throws InterruptedException {
    Process p = processes.remove(name);
    p.destroyForcibly();
    p.waitFor(30, TimeUnit.SECONDS);
  }

  /** Whether worker {@code name} runs. */
  public boolean isRunning(String name) {
    Process p = processes.get(name);
    return p != null && p.isAlive();
  }

  /** Asks every worker to stop gracefully; returns their exit codes by name. */
  public Map<String, Integer> stopAll() throws Exception {
    Files.createFile(dir.resolve("stop"));
    Map<String, Integer> codes = new LinkedHashMap<>();
    for (Map.Entry<String, Process> e : processes.entrySet()) {
      boolean exited = e.getValue().waitFor(60, TimeUnit.SECONDS);
      codes.put(e.getKey(), exited ? e.getValue().exitValue() : -1);
    }
    processes.clear();
    return codes;
  }

  /** The partitions each live member holds, by worker name (from the member's client id). */
  public Map<String, Set<TopicPartition>> assignment() throws Exception {
    ConsumerGroupDescription d;
    try {
      d = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return Map.of(); // no member has joined yet
      }
      throw e;
    }
    Map<String, Set<TopicPartition>> out = new HashMap<>();
    for (MemberDescription m : d.members()) {
      String name = m.clientId().substring(0, m.clientId().lastIndexOf('-'));
      out.put(name, m.assignment().topicPartitions());
    }
    return out;
  }

  /** The group's committed offsets (a partition without one is absent). */
  public Map<TopicPartition, Long> committed() throws Exception {
    Map<TopicPartition, OffsetAndMetadata> all =
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(10, TimeUnit.SECONDS);
    Map<TopicPartition, Long> out = new HashMap<>();
    all.forEach((tp, o) -> out.put(tp, o.offset()));
    return out;
  }

  /** The end offset of every partition of the topic. */
  public Map<TopicPartition, Long> ends() throws Exception {
    int partitions =
        admin
            .describeTopics(List.of(topic))
            .allTopicNames()
            .get(10, TimeUnit.SECONDS)
            .get(topic)
            .partitions()
            .size();
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      request.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<TopicPartition, Long> out = new HashMap<>();
    admin
        .listOffsets(request)
        .all()
        .get(10, TimeUnit.SECONDS)
        .forEach((tp, info) -> out.put(tp, info.offset()));
    return out;
  }

  /** Waits until the group committed every partition up to its end offset now. */
  public void awaitCaughtUp(Duration timeout) throws Exception {
    Map<TopicPartition, Long> ends = ends();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Map<TopicPartition, Long> committed = committed();
      boolean done = true;
      for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
        done &= committed.getOrDefault(e.getKey(), 0L) >= e.getValue();
      }
      if (done) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not caught up: committed " + committed + ", ends " + ends);
      }
      Thread.sleep(50);
    }
  }

  /** Rows DuckDB reads from the lake's visible files now (0 before the first file). */
  public long visibleRows() throws Exception {
    try (var files = Files.list(lake())) {
      if (files.noneMatch(f -> f.getFileName().toString().endsWith(".parquet"))) {
        return 0;
      }
    }
    return ((Number) query("SELECT count(*) FROM {lake}").get(0).get(0)).longValue();
  }

  /** Runs {@code sql} on DuckDB with {@code {lake}} replaced by the scan of the lake. */
  public List<List<Object>> query(String sql) throws Exception {
    String scan = dev.collect.batch.DuckDb.scan(ScaleOutWorker.lake(lake()).build());
    List<List<Object>> rows = new ArrayList<>();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = duck.createStatement();
        ResultSet rs = s.executeQuery(sql.replace("{lake}", scan))) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          row.add(rs.getObject(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  @Override
  public void close() throws IOException {
    for (Process p : processes.values()) {
      p.destroyForcibly();
    }
    admin.close();
  }
}
