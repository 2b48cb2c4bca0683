package dev.collect.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.batch.Column;
import dev.collect.batch.ColumnType;
import dev.collect.batch.DuckDb;
import dev.collect.batch.Lake;
import dev.collect.batch.LakeSinkConfig;
import dev.collect.batch.LakeWriter;
import dev.collect.core.DeadLetter;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Source;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.examples.proto.ClickMessage;
import dev.collect.examples.proto.ClickPropertiesMessage;
import dev.collect.examples.support.Await;
import dev.collect.examples.support.EmbeddedKafka;
import dev.collect.examples.support.KafkaTopics;
import dev.collect.stream.Kafka;
import dev.collect.stream.KafkaSinkConfig;
import dev.collect.stream.KafkaSourceConfig;
import dev.collect.stream.avro.Avro;
import dev.collect.stream.avro.SchemaRegistry;
import dev.collect.stream.protobuf.Protobuf;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Avro records in the schema-registry wire format through the in-JVM Kafka broker into the Parquet
 * lake, read back with DuckDB: two schema versions on one topic (v2 adds a field with a default),
 * read by an old and a new reader; malformed bytes and an unknown schema id dead-lettered. And a
 * generated Protobuf message type the same way.
 */
@Timeout(120)
class TypedRecordsKafkaLakeTest {
  static final Schema V1 =
      SchemaBuilder.record("Click")
          .namespace("dev.collect.examples")
          .fields()
          .requiredString("event_id")
          .requiredLong("user_id")
          .requiredString("event_type")
          .endRecord();
  static final Schema V2 =
      SchemaBuilder.record("Click")
          .namespace("dev.collect.examples")
          .fields()
          .requiredString("event_id")
          .requiredLong("user_id")
          .requiredString("event_type")
          .name("device")
          .type()
          .stringType()
          .stringDefault("unknown")
          .endRecord();
  static final int PER_VERSION = 200;
  static final int MALFORMED = 7;
  static final int UNKNOWN = 3;

  static EmbeddedKafka kafka;
  static SchemaRegistry registry;
  static String topic;

  @TempDir Path dir;

  @BeforeAll
  static void produce() throws Exception {
    kafka = EmbeddedKafka.start();
    registry = SchemaRegistry.inMemory();
    topic = "clicks-avro-" + System.nanoTime();
    KafkaTopics.create(kafka.bootstrapServers(), 1, topic);
    KafkaSinkConfig out =
        KafkaSinkConfig.builder().bootstrapServers(kafka.bootstrapServers()).topic(topic).build();
    List<GenericRecord> v1 = new ArrayList<>();
    List<GenericRecord> v2 = new ArrayList<>();
    for (int i = 0; i < PER_VERSION; i++) {
      GenericRecord a = new GenericData.Record(V1);
      a.put("event_id", "v1-" + i);
      a.put("user_id", (long) i);
      a.put("event_type", "view");
      v1.add(a);
      GenericRecord b = new GenericData.Record(V2);
      b.put("event_id", "v2-" + i);
      b.put("user_id", (long) i);
      b.put("event_type", "click");
      b.put("device", i % 2 == 0 ? "mobile" : "desktop");
      v2.add(b);
    }
    String subject = topic + "-value";
    RunReport first =
        Pipeline.from(Source.fromList("v1", v1))
            .to(Kafka.sink(out, Avro.registrySerializer(registry, subject, V1)))
            .build()
            .run();
    RunReport second =
        Pipeline.from(Source.fromList("v2", v2))
            .to(Kafka.sink(out, Avro.registrySerializer(registry, subject, V2)))
            .build()
            .run();
    assertThat(first.written() + second.written()).isEqualTo(2 * PER_VERSION);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < MALFORMED; i++) {
        producer.send(new ProducerRecord<>(topic, new byte[] {0, 0, 0, 0, 1, (byte) 0x80}));
      }
      for (int i = 0; i < UNKNOWN; i++) {
        producer.send(new ProducerRecord<>(topic, new byte[] {0, 0, 0, 0, 42, 2, 'x'}));
      }
      producer.flush();
    }
  }

  @AfterAll
  static void stopKafka() throws Exception {
    kafka.close();
  }

  private record Run(RunReport report, List<DeadLetter> letters, String scan) {}

  private Run collect(Schema reader, String group) throws Exception {
    LakeSinkConfig.Builder lake = LakeSinkConfig.builder(dir.resolve(group)).avroSchema(reader);
    LakeWriter<GenericRecord> sink = Lake.sink(lake.build());
    TestDeadLetterSink dead = new TestDeadLetterSink();
    int total = 2 * PER_VERSION + MALFORMED + UNKNOWN;
    Pipeline pipeline =
        Pipeline.from(
                Kafka.source(
                    KafkaSourceConfig.builder()
                        .bootstrapServers(kafka.bootstrapServers())
                        .groupId(group)
                        .topics(topic)
                        .build()))
            .collect(Avro.registry(registry, reader))
            .to(sink)
            .deadLetters(dead)
            .name(group)
            .build();
    pipeline.start();
    RunReport report =
        Await.settledThenStop(pipeline, r -> r.sourceRecords() >= total, Duration.ofSeconds(60));
    return new Run(report, dead.letters(), DuckDb.scan(lake.build()));
  }

  @Test
  void aNewReaderReadsBothVersionsIntoTheLakeWithTheDefault() throws Exception {
    Run run = collect(V2, "new-reader");

    assertNoLoss(run);
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = duck.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT device, count(*), count(DISTINCT event_id), sum(user_id) FROM "
                    + run.scan()
                    + " GROUP BY device ORDER BY device")) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString(1) + "=" + rs.getLong(2) + "/" + rs.getLong(3) + "/" + rs.getLong(4));
      }
      int half = PER_VERSION / 2;
      long sum = (long) PER_VERSION * (PER_VERSION - 1) / 2;
      assertThat(rows)
          .containsExactly(
              "desktop=" + half + "/" + half + "/" + (sum + half) / 2,
              "mobile=" + half + "/" + half + "/" + (sum - half) / 2,
              "unknown=" + PER_VERSION + "/" + PER_VERSION + "/" + sum);
    }
  }

  @Test
  void anOldReaderReadsBothVersionsWithoutTheNewField() throws Exception {
    Run run = collect(V1, "old-reader");

    assertNoLoss(run);
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = duck.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*), count(DISTINCT event_id), count(*) FILTER (WHERE event_type ="
                    + " 'click'), (SELECT count(*) FROM (DESCRIBE SELECT * FROM "
                    + run.scan()
                    + ") WHERE column_name = 'device') FROM "
                    + run.scan())) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(2 * PER_VERSION);
      assertThat(rs.getLong(2)).isEqualTo(2 * PER_VERSION);
      assertThat(rs.getLong(3)).isEqualTo(PER_VERSION);
      assertThat(rs.getLong(4)).isZero();
    }
  }

  @Test
  void protobufMessagesGoThroughKafkaIntoTheLake() throws Exception {
    String pbTopic = "clicks-protobuf-" + System.nanoTime();
    KafkaTopics.create(kafka.bootstrapServers(), 1, pbTopic);
    List<ClickMessage> clicks = new ArrayList<>();
    for (int i = 0; i < PER_VERSION; i++) {
      clicks.add(
          ClickMessage.newBuilder()
              .setEventId("pb-" + i)
              .setUserId(i)
              .setEventType(i % 4 == 0 ? "purchase" : "view")
              .setTimestamp("2026-11-01T00:00:00.000Z")
              .setProperties(
                  ClickPropertiesMessage.newBuilder()
                      .setPage("home")
                      .setPosition(i % 50)
                      .setDevice("tv"))
              .build());
    }
    RunReport produced =
        Pipeline.from(Source.fromList("pb", clicks))
            .to(
                Kafka.sink(
                    KafkaSinkConfig.builder()
                        .bootstrapServers(kafka.bootstrapServers())
                        .topic(pbTopic)
                        .build(),
                    Protobuf.serializer()))
            .build()
            .run();
    byte[] truncated = clicks.get(1).toByteArray();
    truncated = java.util.Arrays.copyOf(truncated, truncated.length - 2);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(pbTopic, truncated));
      producer.send(new ProducerRecord<>(pbTopic, new byte[] {0x0F}));
      producer.flush();
    }
    LakeSinkConfig.Builder lake =
        LakeSinkConfig.builder(dir.resolve("protobuf"))
            .columns(
                Column.required("event_id", ColumnType.STRING),
                Column.required("user_id", ColumnType.LONG),
                Column.required("event_type", ColumnType.STRING),
                Column.required("position", ColumnType.INT));
    TestDeadLetterSink dead = new TestDeadLetterSink();
    Pipeline pipeline =
        Pipeline.from(
                Kafka.source(
                    KafkaSourceConfig.builder()
                        .bootstrapServers(kafka.bootstrapServers())
                        .groupId("protobuf-reader")
                        .topics(pbTopic)
                        .build()))
            .collect(Protobuf.collector(ClickMessage.class))
            .map(
                c ->
                    Map.<String, Object>of(
                        "event_id", c.getEventId(),
                        "user_id", c.getUserId(),
                        "event_type", c.getEventType(),
                        "position", c.getProperties().getPosition()))
            .to(Lake.sink(lake.build()))
            .deadLetters(dead)
            .name("protobuf-reader")
            .build();
    pipeline.start();
    RunReport report =
        Await.settledThenStop(
            pipeline, r -> r.sourceRecords() >= PER_VERSION + 2, Duration.ofSeconds(60));

    assertThat(produced.written()).isEqualTo(PER_VERSION);
    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.received())
        .isEqualTo(report.written() + report.deadLettered() + report.filtered())
        .isEqualTo(PER_VERSION + 2);
    assertThat(report.written()).isEqualTo(PER_VERSION);
    assertThat(dead.letters())
        .hasSize(2)
        .allSatisfy(l -> assertThat(l.reason()).isEqualTo("malformed"))
        .allSatisfy(
            l ->
                assertThat(l.errorMessage())
                    .startsWith("malformed Protobuf for dev.collect.examples.proto.ClickMessage"));
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = duck.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*), count(DISTINCT event_id), sum(user_id), sum(position),"
                    + " count(*) FILTER (WHERE event_type = 'purchase') FROM "
                    + DuckDb.scan(lake.build()))) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(PER_VERSION);
      assertThat(rs.getLong(2)).isEqualTo(PER_VERSION);
      assertThat(rs.getLong(3)).isEqualTo((long) PER_VERSION * (PER_VERSION - 1) / 2);
      assertThat(rs.getLong(4)).isEqualTo(4L * (49 * 50 / 2));
      assertThat(rs.getLong(5)).isEqualTo(PER_VERSION / 4);
    }
  }

  private static void assertNoLoss(Run run) {
    RunReport report = run.report();
    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.received())
        .isEqualTo(report.written() + report.deadLettered() + report.filtered())
        .isEqualTo(2 * PER_VERSION + MALFORMED + UNKNOWN);
    assertThat(report.written()).isEqualTo(2 * PER_VERSION);
    assertThat(run.letters()).hasSize(MALFORMED + UNKNOWN);
    assertThat(run.letters())
        .filteredOn(l -> l.reason().equals("malformed"))
        .hasSize(MALFORMED)
        .allSatisfy(l -> assertThat(l.errorMessage()).contains("malformed Avro"));
    assertThat(run.letters())
        .filteredOn(l -> l.reason().equals(Avro.REASON_UNKNOWN_SCHEMA))
        .hasSize(UNKNOWN)
        .allSatisfy(
            l -> assertThat(l.errorMessage()).isEqualTo("schema id 42 is not in the registry"))
        .allSatisfy(l -> assertThat(l.position()).containsKey("offset"));
  }
}
