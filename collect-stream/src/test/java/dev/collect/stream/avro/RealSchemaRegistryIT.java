package dev.collect.stream.avro;

import static dev.collect.stream.avro.AvroCollectorsTest.V1;
import static dev.collect.stream.avro.AvroCollectorsTest.V2;
import static dev.collect.stream.avro.AvroCollectorsTest.bytes;
import static dev.collect.stream.avro.AvroCollectorsTest.fields;
import static dev.collect.stream.avro.AvroCollectorsTest.run;
import static dev.collect.stream.avro.AvroCollectorsTest.v1;
import static dev.collect.stream.avro.AvroCollectorsTest.v2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.collect.core.DeadLetter;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Source;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.stream.avro.AvroCollectorsTest.Run;
import dev.collect.stream.avro.SchemaRegistry.SchemaType;
import dev.collect.stream.avro.SchemaRegistry.TypedSchema;
import dev.collect.stream.protobuf.Protobuf;
import dev.collect.stream.support.ApicurioRegistryProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link SchemaRegistry#http} against a real registry: Apicurio Registry with in-memory storage,
 * started from its Maven distribution as a child process, through its Confluent-compatible API.
 */
class RealSchemaRegistryIT {
  private static ApicurioRegistryProcess apicurio;

  @BeforeAll
  static void startRegistry() throws Exception {
    apicurio = ApicurioRegistryProcess.start();
  }

  @AfterAll
  static void stopRegistry() throws InterruptedException {
    if (apicurio != null) {
      apicurio.close();
    }
  }

  @Test
  void schemasRegisteredOverHttpAreResolvedByIdOnReadAndUnknownIdsAreDeadLettered()
      throws Exception {
    String subject = "collect-it-" + UUID.randomUUID() + "-value";
    SchemaRegistry producer = SchemaRegistry.http(apicurio.ccompatUri());
    int first = producer.register(subject, V1);
    int second = producer.register(subject, V2);
    byte[] old = bytes(Avro.registrySerializer(producer, subject, V1), v1("a", 1));
    byte[] added = bytes(Avro.registrySerializer(producer, subject, V2), v2("b", 2, "tv"));
    int unknown = Math.max(first, second) + 1000;
    byte[] unknownId = old.clone();
    ByteBuffer.wrap(unknownId).putInt(1, unknown);

    // A client of its own, so the ids are resolved by GET /schemas/ids/{id}, not from the cache
    // that registering filled.
    SchemaRegistry consumer = SchemaRegistry.http(apicurio.ccompatUri());
    Run run = run(List.of(old, added, unknownId), Avro.registry(consumer, V2));

    assertThat(second).isNotEqualTo(first);
    assertThat(producer.register(subject, V1)).isEqualTo(first);
    assertThat(old[0]).isZero();
    assertThat(ByteBuffer.wrap(old).getInt(1)).isEqualTo(first);
    assertThat(ByteBuffer.wrap(added).getInt(1)).isEqualTo(second);
    assertThat(consumer.schema(first)).contains(V1);
    assertThat(consumer.schema(unknown)).isEmpty();
    assertThat(fields(run.written(), "device")).containsExactly("tv", "unknown");
    assertThat(run.report().received())
        .isEqualTo(run.report().written() + run.report().deadLettered() + run.report().filtered());
    assertThat(run.report().deadLettersByReason()).containsOnlyKeys("collect/unknown_schema");
    assertThat(run.letters())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.reason()).isEqualTo(Avro.REASON_UNKNOWN_SCHEMA);
              assertThat(l.errorMessage())
                  .isEqualTo("schema id " + unknown + " is not in the registry");
              assertThat(Arrays.equals(l.payloadBytes(), unknownId)).isTrue();
            });
  }

  @Test
  void protobufSchemasRegisteredOverHttpAreResolvedByIdOnReadAndUnknownIdsAreDeadLettered()
      throws Exception {
    String subject = "collect-it-" + UUID.randomUUID() + "-value";
    SchemaRegistry producer = SchemaRegistry.http(apicurio.ccompatUri());
    Timestamp ts = Timestamp.newBuilder().setSeconds(1_700_000_000L).setNanos(5).build();
    byte[] written = Protobuf.registrySerializer(producer, subject, Timestamp.class).serialize(ts);
    byte[] again = Protobuf.registrySerializer(producer, subject, Timestamp.class).serialize(ts);
    byte[] duration =
        Protobuf.registrySerializer(producer, subject + "-duration", Duration.class)
            .serialize(Duration.newBuilder().setSeconds(3).build());
    int id = ByteBuffer.wrap(written).getInt(1);
    int durationId = ByteBuffer.wrap(duration).getInt(1);
    int unknown = Math.max(id, durationId) + 1000;
    byte[] unknownId = written.clone();
    ByteBuffer.wrap(unknownId).putInt(1, unknown);
    String timestampProto;
    try (InputStream in =
        Timestamp.class.getClassLoader().getResourceAsStream("google/protobuf/timestamp.proto")) {
      timestampProto = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    // A client of its own, so the ids are resolved by GET /schemas/ids/{id}.
    SchemaRegistry consumer = SchemaRegistry.http(apicurio.ccompatUri());
    TestSink<Timestamp> sink = new TestSink<>();
    TestDeadLetterSink dead = new TestDeadLetterSink();
    RunReport report =
        Pipeline.from(Source.fromList("pb", List.of(written, duration, unknownId)))
            .collect(Protobuf.registryCollector(consumer, Timestamp.class))
            .to(sink)
            .deadLetters(dead)
            .build()
            .run();

    assertThat(again).isEqualTo(written);
    assertThat(durationId).isNotEqualTo(id);
    assertThat(written[0]).isZero();
    assertThat(written[5]).isZero(); // the message indexes [0]
    assertThat(Arrays.copyOfRange(written, 6, written.length)).isEqualTo(ts.toByteArray());
    assertThat(consumer.lookup(id)).contains(new TypedSchema(SchemaType.PROTOBUF, timestampProto));
    assertThat(consumer.lookup(unknown)).isEmpty();
    assertThat(sink.values()).containsExactly(ts);
    assertThat(report.received()).isEqualTo(3);
    assertThat(report.received())
        .isEqualTo(report.written() + report.deadLettered() + report.filtered());
    assertThat(dead.letters())
        .extracting(DeadLetter::reason, DeadLetter::errorMessage)
        .containsExactly(
            tuple(
                "incompatible_schema",
                "schema id "
                    + durationId
                    + " at message indexes [0] is google.protobuf.Duration, not"
                    + " google.protobuf.Timestamp"),
            tuple("unknown_schema", "schema id " + unknown + " is not in the registry"));
    assertThat(dead.letters().get(0).payloadBytes()).isEqualTo(duration);
    assertThat(dead.letters().get(1).payloadBytes()).isEqualTo(unknownId);
  }

  @Test
  void aSchemaTheRegistryRefusesIsAnIOException() throws Exception {
    String subject = "collect-it-" + UUID.randomUUID() + "-value";
    SchemaRegistry registry = SchemaRegistry.http(apicurio.ccompatUri());
    registry.register(subject, V1);
    setCompatibility(subject, "BACKWARD");
    // A required field without a default: new readers cannot read old records.
    Schema required =
        SchemaBuilder.record("Click")
            .namespace("dev.collect.test")
            .fields()
            .requiredString("event_id")
            .requiredLong("user_id")
            .requiredString("device")
            .endRecord();

    assertThatThrownBy(() -> Avro.registrySerializer(registry, subject, required))
        .isInstanceOf(IOException.class)
        .hasMessage("schema registry answered HTTP 409");
    assertThat(registry.register(subject, V2)).isPositive();
  }

  private static void setCompatibility(String subject, String level) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(apicurio.ccompatUri() + "/config/" + subject))
                    .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .PUT(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"compatibility\":\"" + level + "\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }
}
