package dev.collect.stream.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.DescriptorProtos.DescriptorProto.ExtensionRange;
import com.google.protobuf.Duration;
import com.google.protobuf.Method;
import com.google.protobuf.Timestamp;
import dev.collect.core.Collector;
import dev.collect.core.DeadLetter;
import dev.collect.core.Pipeline;
import dev.collect.core.RetryPolicy;
import dev.collect.core.RunReport;
import dev.collect.core.Source;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.stream.avro.Avro;
import dev.collect.stream.avro.SchemaRegistry;
import dev.collect.stream.avro.SchemaRegistry.SchemaType;
import dev.collect.stream.avro.SchemaRegistry.TypedSchema;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** The Protobuf registry serialiser and collector with {@link SchemaRegistry#inMemory()}. */
class ProtobufRegistryTest {
  static final Timestamp TS = Timestamp.newBuilder().setSeconds(1_700_000_000L).setNanos(5).build();

  /** The {@code .proto} source protobuf-java ships for a well-known type. */
  static String source(String importPath) throws IOException {
    try (InputStream in = Timestamp.class.getClassLoader().getResourceAsStream(importPath)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  record Run<T>(RunReport report, List<T> written, List<DeadLetter> letters) {}

  static <T> Run<T> run(List<byte[]> inputs, Collector<byte[], T> collector) {
    TestSink<T> sink = new TestSink<>();
    TestDeadLetterSink dead = new TestDeadLetterSink();
    RunReport report =
        Pipeline.from(Source.fromList("pb", inputs))
            .collect(collector)
            .to(sink)
            .deadLetters(dead)
            .build()
            .run();
    return new Run<>(report, sink.values(), dead.letters());
  }

  @Test
  void theSerialiserRegistersTheProtoSourceAndTheCollectorReadsItBack() throws Exception {
    SchemaRegistry registry = SchemaRegistry.inMemory();

    byte[] bytes = Protobuf.registrySerializer(registry, "ts-value", Timestamp.class).serialize(TS);
    Run<Timestamp> run = run(List.of(bytes), Protobuf.registryCollector(registry, Timestamp.class));

    assertThat(registry.lookup(1))
        .contains(new TypedSchema(SchemaType.PROTOBUF, source("google/protobuf/timestamp.proto")));
    assertThat(Arrays.copyOf(bytes, 6)).containsExactly(0, 0, 0, 0, 1, 0);
    assertThat(Arrays.copyOfRange(bytes, 6, bytes.length)).isEqualTo(TS.toByteArray());
    assertThat(run.written()).containsExactly(TS);
    assertThat(run.report().received()).isEqualTo(1);
    assertThat(run.report().received())
        .isEqualTo(run.report().written() + run.report().deadLettered() + run.report().filtered());
  }

  @Test
  void theSameTypeRegisteredTwiceGetsTheSameId() throws Exception {
    SchemaRegistry registry = SchemaRegistry.inMemory();

    byte[] first = Protobuf.registrySerializer(registry, "ts-value", Timestamp.class).serialize(TS);
    byte[] again = Protobuf.registrySerializer(registry, "ts-value", Timestamp.class).serialize(TS);
    byte[] other =
        Protobuf.registrySerializer(registry, "d-value", Duration.class)
            .serialize(Duration.newBuilder().setSeconds(3).build());

    assertThat(again).isEqualTo(first);
    assertThat(Arrays.copyOf(other, 5)).containsExactly(0, 0, 0, 0, 2);
  }

  @Test
  void nestedMessagesAndFilesWithWellKnownImportsRoundTrip() throws Exception {
    SchemaRegistry registry = SchemaRegistry.inMemory();
    ExtensionRange range = ExtensionRange.newBuilder().setStart(1).setEnd(9).build();
    Method get = Method.newBuilder().setName("get").setRequestTypeUrl("t/req").build();

    byte[] nested =
        Protobuf.registrySerializer(registry, "d-value", ExtensionRange.class).serialize(range);
    byte[] imports = Protobuf.registrySerializer(registry, "m-value", Method.class).serialize(get);

    // ExtensionRange is nested in the third message of descriptor.proto: count 2, then [2, 0].
    assertThat(Arrays.copyOf(nested, 8)).containsExactly(0, 0, 0, 0, 1, 4, 4, 0);
    assertThat(
            run(List.of(nested), Protobuf.registryCollector(registry, ExtensionRange.class))
                .written())
        .containsExactly(range);
    assertThat(run(List.of(imports), Protobuf.registryCollector(registry, Method.class)).written())
        .containsExactly(get);
  }

  @Test
  void unknownIdsOtherMessagesOtherSchemaTypesAndBadIndexesAreDeadLettered() throws Exception {
    SchemaRegistry registry = SchemaRegistry.inMemory();
    byte[] good = Protobuf.registrySerializer(registry, "ts-value", Timestamp.class).serialize(TS);
    byte[] duration =
        Protobuf.registrySerializer(registry, "d-value", Duration.class)
            .serialize(Duration.newBuilder().setSeconds(3).build());
    int avroId =
        registry.register(
            "a-value", SchemaBuilder.record("Click").fields().requiredLong("id").endRecord());
    byte[] unknownId = good.clone();
    unknownId[4] = 99;
    byte[] avro = good.clone();
    avro[4] = (byte) avroId;
    byte[] noSuchMessage = Protobuf.registrySerializer(1).serialize(Method.getDefaultInstance());
    List<byte[]> inputs = new ArrayList<>(List.of(good, unknownId, duration, avro, noSuchMessage));
    inputs.add(null);

    Run<Timestamp> run = run(inputs, Protobuf.registryCollector(registry, Timestamp.class));

    assertThat(avroId).isEqualTo(3);
    assertThat(run.written()).containsExactly(TS);
    assertThat(run.report().received()).isEqualTo(6);
    assertThat(run.report().received())
        .isEqualTo(run.report().written() + run.report().deadLettered() + run.report().filtered());
    assertThat(run.letters())
        .extracting(DeadLetter::reason, DeadLetter::errorMessage)
        .containsExactly(
            tuple("unknown_schema", "schema id 99 is not in the registry"),
            tuple(
                "incompatible_schema",
                "schema id 2 at message indexes [0] is google.protobuf.Duration, not"
                    + " google.protobuf.Timestamp"),
            tuple("incompatible_schema", "schema id 3 names a schema of type AVRO, not PROTOBUF"),
            tuple("malformed", "the message indexes [1] name no message of schema id 1"),
            tuple(
                "malformed",
                "no Protobuf bytes for google.protobuf.Timestamp: the record has a null value (a"
                    + " tombstone)"));
    assertThat(run.letters().get(0).payloadBytes()).isEqualTo(unknownId);
    assertThat(run.letters().get(1).payloadBytes()).isEqualTo(duration);
  }

  @Test
  void eachSchemaIdIsLookedUpOnce() throws Exception {
    SchemaRegistry registry = SchemaRegistry.inMemory();
    byte[] bytes = Protobuf.registrySerializer(registry, "ts-value", Timestamp.class).serialize(TS);
    AtomicInteger lookups = new AtomicInteger();
    SchemaRegistry counting =
        new SchemaRegistry() {
          @Override
          public Optional<TypedSchema> lookup(int id) throws IOException {
            lookups.incrementAndGet();
            return registry.lookup(id);
          }

          @Override
          public int register(String subject, TypedSchema schema) throws IOException {
            return registry.register(subject, schema);
          }
        };

    Run<Timestamp> run =
        run(List.of(bytes, bytes, bytes), Protobuf.registryCollector(counting, Timestamp.class));

    assertThat(run.written()).containsExactly(TS, TS, TS);
    assertThat(lookups).hasValue(1);
  }

  @Test
  void anAvroReaderDeadLettersAProtobufSchemaId() throws Exception {
    SchemaRegistry registry = SchemaRegistry.inMemory();
    byte[] bytes = Protobuf.registrySerializer(registry, "ts-value", Timestamp.class).serialize(TS);
    org.apache.avro.Schema reader =
        SchemaBuilder.record("Click").fields().requiredLong("id").endRecord();

    Run<org.apache.avro.generic.GenericRecord> run =
        run(List.of(bytes), Avro.registry(registry, reader));

    assertThat(run.letters())
        .extracting(DeadLetter::reason, DeadLetter::errorMessage)
        .containsExactly(
            tuple("incompatible_schema", "schema id 1 names a schema of type PROTOBUF, not AVRO"));
    assertThatThrownBy(() -> registry.schema(1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("schema id 1 names a schema of type PROTOBUF, not AVRO");
  }

  @Test
  void anUnreachableRegistryIsRetriedNotDeadLetteredAsUnknown() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    SchemaRegistry registry = SchemaRegistry.http(URI.create("http://127.0.0.1:" + port));
    byte[] bytes = Protobuf.registrySerializer(1).serialize(TS);
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(Source.fromList("pb", List.of(bytes)))
            .collect(Protobuf.registryCollector(registry, Timestamp.class))
            .to(new TestSink<Timestamp>())
            .deadLetters(dead)
            .retry(
                RetryPolicy.builder()
                    .maxAttempts(2)
                    .initialBackoff(java.time.Duration.ofMillis(1))
                    .build())
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.retried()).isPositive();
    assertThat(dead.letters())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.reason()).isEqualTo("retries_exhausted");
              assertThat(l.retryable()).isTrue();
              assertThat(l.payloadBytes()).isEqualTo(bytes);
            });
  }

  @Test
  void aRegistryThatRefusesTheSchemaFailsTheSerialiser() {
    SchemaRegistry refusing =
        new SchemaRegistry() {
          @Override
          public Optional<TypedSchema> lookup(int id) {
            return Optional.empty();
          }

          @Override
          public int register(String subject, TypedSchema schema) throws IOException {
            throw new IOException("schema registry answered HTTP 409");
          }
        };

    assertThatThrownBy(() -> Protobuf.registrySerializer(refusing, "ts-value", Timestamp.class))
        .isInstanceOf(IOException.class)
        .hasMessage("schema registry answered HTTP 409");
  }
}
