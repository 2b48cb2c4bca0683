package dev.collect.examples.realtime;

import dev.collect.batch.Column;
import dev.collect.batch.ColumnType;
import dev.collect.batch.Lake;
import dev.collect.batch.LakeFormat;
import dev.collect.batch.LakeSinkConfig;
import dev.collect.batch.LakeWriter;
import dev.collect.batch.Partitioner;
import dev.collect.core.Collector;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Validator;
import dev.collect.core.privacy.Privacy;
import dev.collect.core.privacy.PrivacyKeys;
import dev.collect.examples.ClickEvent;
import dev.collect.examples.Quickstart;
import dev.collect.examples.support.Await;
import dev.collect.examples.support.EmbeddedKafka;
import dev.collect.examples.support.KafkaTopics;
import dev.collect.stream.Kafka;
import dev.collect.stream.KafkaSinkConfig;
import dev.collect.stream.KafkaSourceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Real-time clickstream: click events arrive on a Kafka topic; the pipeline parses them (JSON
 * collector), validates them (Bean Validation), pseudonymises the user and generalises the IP, and
 * writes them into a data lake partitioned by {@code event_date}. Malformed and invalid events go
 * to a dead-letter topic with the failure in {@code __collect.errors.*} headers and the original
 * bytes as the value. Offsets are committed only for settled events.
 *
 * <p>Starts a Kafka broker in this JVM unless {@code --bootstrap host:9092} is given. Each run uses
 * new topics, so runs against a real cluster do not mix.
 *
 * <pre>
 * java -cp ... dev.collect.examples.realtime.RealtimeClickstream [--events N] [--bootstrap SERVERS] [--out DIR]
 * </pre>
 */
public final class RealtimeClickstream {
  private RealtimeClickstream() {}

  /** What the pipeline did, and what the dead-letter topic holds afterwards. */
  public record Result(RunReport report, int produced, int deadLetterTopicRecords) {}

  public static void main(String[] args) throws Exception {
    int events = 50_000;
    String bootstrap = null;
    Path out = Path.of("collect-out/realtime");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--events" -> events = Integer.parseInt(args[++i]);
        case "--bootstrap" -> bootstrap = args[++i];
        case "--out" -> out = Path.of(args[++i]);
        default -> {
          System.out.println(
              "Usage: RealtimeClickstream [--events N, default 50000]"
                  + " [--bootstrap host:9092, default an in-JVM broker] [--out DIR]");
          return;
        }
      }
    }
    Result result = run(events, bootstrap, out);
    System.out.print(result.report().toTable());
    System.out.printf(
        Locale.ROOT,
        "%nProduced %,d events; lake in %s; %,d records on the dead-letter topic%n",
        result.produced(),
        out.resolve("lake"),
        result.deadLetterTopicRecords());
  }

  /** Produces {@code events} clicks and collects them; {@code bootstrap} null starts a broker. */
  public static Result run(int events, String bootstrap, Path out) throws Exception {
    Files.createDirectories(out);
    Path input = out.resolve("clicks-to-produce.jsonl");
    Quickstart.generate(input, events);
    String runId = Long.toString(System.currentTimeMillis(), 36);
    String topic = "clicks-" + runId;
    String deadLetterTopic = topic + ".dead-letters";
    try (EmbeddedKafka embedded = bootstrap == null ? EmbeddedKafka.start() : null) {
      String servers = bootstrap == null ? embedded.bootstrapServers() : bootstrap;
      KafkaTopics.create(servers, 4, topic, deadLetterTopic);
      int produced = KafkaTopics.produceLines(servers, topic, input);

      // In production the key comes from your secret store, never from code.
      PrivacyKeys keys = PrivacyKeys.hmac("realtime-demo-key-change-me");
      LakeWriter<ClickEvent> lake =
          Lake.sink(
              LakeSinkConfig.builder(out.resolve("lake").resolve(topic))
                  .format(LakeFormat.PARQUET)
                  .columns(
                      Column.required("event_id", ColumnType.STRING),
                      Column.required("user_id", ColumnType.STRING),
                      Column.required("event_type", ColumnType.STRING),
                      Column.required("item_id", ColumnType.STRING),
                      Column.required("position", ColumnType.INT),
                      Column.of("ip", ColumnType.STRING),
                      Column.required("timestamp", ColumnType.STRING))
                  .partitionBy("event_date", Partitioner.dateOf("timestamp"))
                  .build());
      Pipeline pipeline =
          Pipeline.from(
                  Kafka.source(
                      KafkaSourceConfig.builder()
                          .bootstrapServers(servers)
                          .groupId("clickstream-collector")
                          .topics(topic)
                          .build()))
              .collect(Collector.json(ClickEvent.class))
              .validate(Validator.bean(ClickEvent.class))
              .map(Privacy.forType(ClickEvent.class, keys)::apply)
              .to(lake)
              .deadLetters(
                  Kafka.deadLetterSink(
                      KafkaSinkConfig.builder()
                          .bootstrapServers(servers)
                          .topic(deadLetterTopic)
                          .build()))
              .name("realtime-clickstream")
              .workers(2)
              .commitInterval(Duration.ofSeconds(5)) // each commit publishes the lake's open files
              .build();
      pipeline.start();
      RunReport report =
          Await.settledThenStop(
              pipeline, r -> r.sourceRecords() >= produced, Duration.ofMinutes(2));
      int deadLetters = countRecords(servers, deadLetterTopic, report.deadLettered());
      return new Result(report, produced, deadLetters);
    }
  }

  /** Reads the dead-letter topic back until {@code expected} records came (or 30 s passed). */
  private static int countRecords(String servers, String topic, long expected) {
    Map<String, Object> config =
        Map.of(
            "bootstrap.servers",
            servers,
            "group.id",
            "dead-letter-reader-" + System.nanoTime(),
            "auto.offset.reset",
            "earliest");
    int count = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (count < expected && System.nanoTime() < deadline) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
        count += records.count();
      }
    }
    return count;
  }
}
