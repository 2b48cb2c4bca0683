package dev.collect.examples.scaleout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.batch.Column;
import dev.collect.batch.ColumnType;
import dev.collect.batch.Lake;
import dev.collect.batch.LakeFormat;
import dev.collect.batch.LakeSinkConfig;
import dev.collect.batch.LakeWriter;
import dev.collect.core.BatchPolicy;
import dev.collect.core.Collector;
import dev.collect.core.DeadLetterSink;
import dev.collect.core.MalformedRecordException;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.stream.Kafka;
import dev.collect.stream.KafkaPosition;
import dev.collect.stream.KafkaSourceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One collector process of the scale-out demo: a member of consumer group {@code group} that parses
 * click events from {@code topic} and writes them into the lake at {@code lake} under its own
 * writer name. Each row records where it came from (partition, offset) and which process
 * incarnation wrote it, in which order ({@code seq}), so that a reader can tell duplicates from
 * uncommitted tails. Runs until file {@code stop} exists, then stops gracefully.
 */
final class ScaleOutWorker {
  static final String READY = "worker ready";

  /** Records a worker's queue holds at most (so, with one batch, what is in flight). */
  static final int QUEUE_RECORDS = 1000;

  /** Records per sink batch. */
  static final int BATCH_RECORDS = 500;

  /** How often the lake's files are published and the settled offsets committed. */
  static final Duration COMMIT_INTERVAL = Duration.ofMillis(200);

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ScaleOutWorker() {}

  /** The lake all workers share (Parquet, unpartitioned). */
  static LakeSinkConfig.Builder lake(Path root) {
    return LakeSinkConfig.builder(root)
        .format(LakeFormat.PARQUET)
        .columns(
            Column.required("part", ColumnType.INT),
            Column.required("off", ColumnType.LONG),
            Column.required("writer", ColumnType.STRING),
            Column.required("seq", ColumnType.LONG),
            Column.required("event_id", ColumnType.STRING),
            Column.required("user_id", ColumnType.LONG),
            Column.required("event_type", ColumnType.STRING));
  }

  static Pipeline pipeline(
      String servers, String topic, String group, Path lake, String name, int sessionMillis) {
    String incarnation = name + "-" + ProcessHandle.current().pid();
    AtomicLong seq = new AtomicLong();
    LakeWriter<Map<String, Object>> sink =
        Lake.sink(lake(lake).writer(name).name("lake-" + name).build());
    Collector<byte[], Map<String, Object>> parse =
        (input, output) -> {
          JsonNode click;
          try {
            click = MAPPER.readTree(input.value());
          } catch (IOException e) {
            throw new MalformedRecordException("not JSON");
          }
          KafkaPosition at = (KafkaPosition) input.position();
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("part", at.partition());
          row.put("off", at.offset());
          row.put("writer", incarnation);
          row.put("seq", seq.incrementAndGet());
          row.put("event_id", click.path("event_id").asText());
          row.put("user_id", click.path("user_id").asLong());
          row.put("event_type", click.path("event_type").asText());
          output.emit(row);
        };
    return Pipeline.from(
            Kafka.source(
                KafkaSourceConfig.builder()
                    .bootstrapServers(servers)
                    .groupId(group)
                    .topics(topic)
                    .maxPollRecords(500)
                    .properties(
                        Map.of(
                            "session.timeout.ms",
                            Integer.toString(sessionMillis),
                            "heartbeat.interval.ms",
                            Integer.toString(Math.max(100, sessionMillis / 4)),
                            "client.id",
                            incarnation))
                    .build()))
        .collect("parse", parse)
        .to(sink)
        .deadLetters(
            DeadLetterSink.jsonLines(lake.resolveSibling("dead-letters-" + name + ".jsonl")))
        .name("scaleout-" + name)
        .queueCapacity(QUEUE_RECORDS, 16L * 1024 * 1024)
        .batch(BatchPolicy.ofRecords(BATCH_RECORDS).withLinger(Duration.ofMillis(20)))
        .commitInterval(COMMIT_INTERVAL)
        .build();
  }

  /** Runs until {@code stop} exists; returns 0 if every record received was settled. */
  static int run(
      String servers,
      String topic,
      String group,
      Path lake,
      String name,
      Path stop,
      int sessionMillis)
      throws Exception {
    Files.createDirectories(lake);
    Pipeline pipeline = pipeline(servers, topic, group, lake, name, sessionMillis);
    pipeline.start();
    System.out.println(READY);
    while (!Files.exists(stop) && pipeline.isLive()) {
      Thread.sleep(50);
    }
    RunReport report = pipeline.stop(Duration.ofSeconds(30));
    System.out.printf(
        "worker %s: received %d, written %d, dead-lettered %d, filtered %d, status %s%n",
        name,
        report.received(),
        report.written(),
        report.deadLettered(),
        report.filtered(),
        report.status());
    return report.invariantHolds() && report.status() != RunReport.Status.FAILED ? 0 : 2;
  }

  /** The arguments of a worker process, for {@link ScaleOutDemo}'s {@code --worker} mode. */
  static List<String> args(
      String servers, String topic, String group, Path lake, String name, Path stop, int session) {
    return List.of(
        "--worker",
        servers,
        topic,
        group,
        lake.toString(),
        name,
        stop.toString(),
        Integer.toString(session));
  }
}
