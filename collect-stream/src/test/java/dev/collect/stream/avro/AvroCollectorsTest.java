package dev.collect.stream.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.collect.core.Collector;
import dev.collect.core.DeadLetter;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Source;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.stream.RecordSerializer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.message.SchemaStore;
import org.junit.jupiter.api.Test;

class AvroCollectorsTest {
  static final Schema V1 =
      SchemaBuilder.record("Click")
          .namespace("dev.collect.test")
          .fields()
          .requiredString("event_id")
          .requiredLong("user_id")
          .endRecord();
  static final Schema V2 =
      SchemaBuilder.record("Click")
          .namespace("dev.collect.test")
          .fields()
          .requiredString("event_id")
          .requiredLong("user_id")
          .name("device")
          .type()
          .stringType()
          .stringDefault("unknown")
          .endRecord();

  static GenericRecord v1(String id, long user) {
    GenericRecord r = new GenericData.Record(V1);
    r.put("event_id", id);
    r.put("user_id", user);
    return r;
  }

  static GenericRecord v2(String id, long user, String device) {
    GenericRecord r = new GenericData.Record(V2);
    r.put("event_id", id);
    r.put("user_id", user);
    r.put("device", device);
    return r;
  }

  static byte[] bytes(RecordSerializer<IndexedRecord> serializer, GenericRecord r) {
    try {
      return serializer.serialize(r);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  record Run(RunReport report, List<GenericRecord> written, List<DeadLetter> letters) {}

  static Run run(List<byte[]> inputs, Collector<byte[], GenericRecord> collector) {
    TestSink<GenericRecord> sink = new TestSink<>();
    TestDeadLetterSink dead = new TestDeadLetterSink();
    RunReport report =
        Pipeline.from(Source.fromList("avro", inputs))
            .collect(collector)
            .to(sink)
            .deadLetters(dead)
            .build()
            .run();
    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.received()).isEqualTo(report.written() + report.deadLettered());
    return new Run(report, sink.values(), dead.letters());
  }

  static List<String> fields(List<GenericRecord> records, String field) {
    return records.stream().map(r -> String.valueOf(r.get(field))).sorted().toList();
  }

  @Test
  void binaryRoundTripsRecords() {
    RecordSerializer<IndexedRecord> out = Avro.binarySerializer(V1);

    Run run = run(List.of(bytes(out, v1("a", 1)), bytes(out, v1("b", 2))), Avro.binary(V1));

    assertThat(fields(run.written(), "event_id")).containsExactly("a", "b");
    assertThat(run.written()).allSatisfy(r -> assertThat(r.getSchema()).isEqualTo(V1));
  }

  @Test
  void oldAndNewReadersReadBothSchemaVersions() {
    byte[] old = bytes(Avro.binarySerializer(V1), v1("a", 1));
    byte[] added = bytes(Avro.binarySerializer(V2), v2("b", 2, "mobile"));

    Run newReaderOfOld = run(List.of(old), Avro.binary(V1, V2));
    Run oldReaderOfNew = run(List.of(added), Avro.binary(V2, V1));

    assertThat(newReaderOfOld.written().get(0).get("device").toString()).isEqualTo("unknown");
    assertThat(oldReaderOfNew.written().get(0).getSchema()).isEqualTo(V1);
    assertThat(oldReaderOfNew.written().get(0).get("event_id").toString()).isEqualTo("b");
  }

  @Test
  void malformedBytesAreDeadLetteredWithTheReason() {
    byte[] good = bytes(Avro.binarySerializer(V1), v1("a", 1));
    byte[] truncated = Arrays.copyOf(good, good.length - 1);
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    byte[] hugeLength = {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 'x'};
    byte[] negativeLength = {0x01, 'x'};

    Run run =
        run(
            java.util.Arrays.asList(
                good, truncated, trailing, hugeLength, negativeLength, new byte[0], null),
            Avro.binary(V1));

    assertThat(run.report().written()).isEqualTo(1);
    assertThat(run.letters()).hasSize(6);
    assertThat(run.letters()).allSatisfy(l -> assertThat(l.reason()).isEqualTo("malformed"));
    assertThat(run.letters())
        .allSatisfy(
            l ->
                assertThat(l.errorMessage())
                    .matches(
                        "malformed Avro binary for dev\\.collect\\.test\\.Click: .+|no Avro bytes: .+"));
    assertThat(run.letters())
        .extracting(l -> Arrays.toString(l.payloadBytes()))
        .containsExactlyInAnyOrder(
            Arrays.toString(truncated),
            Arrays.toString(trailing),
            Arrays.toString(hugeLength),
            Arrays.toString(negativeLength),
            "[]",
            "[]");
  }

  @Test
  void singleObjectFindsWriterSchemasByFingerprint() {
    SchemaStore.Cache store = new SchemaStore.Cache();
    store.addSchema(V1);
    store.addSchema(V2);
    byte[] old = bytes(Avro.singleObjectSerializer(V1), v1("a", 1));
    byte[] added = bytes(Avro.singleObjectSerializer(V2), v2("b", 2, "tv"));

    Run asV2 = run(List.of(old, added), Avro.singleObject(store, V2));
    Run asWriter = run(List.of(old, added), Avro.singleObject(store, null));

    assertThat(fields(asV2.written(), "device")).containsExactly("tv", "unknown");
    assertThat(asWriter.written())
        .extracting(GenericRecord::getSchema)
        .containsExactlyInAnyOrder(V1, V2);
  }

  @Test
  void singleObjectAgreesWithAvrosOwnEncoder() throws IOException {
    byte[] ours = bytes(Avro.singleObjectSerializer(V1), v1("a", 1));

    byte[] avros =
        new org.apache.avro.message.BinaryMessageEncoder<GenericRecord>(GenericData.get(), V1)
            .encode(v1("a", 1))
            .array();

    assertThat(ours).isEqualTo(avros);
  }

  @Test
  void unknownFingerprintAndBadHeaderAreDeadLetteredWithTheirReasons() {
    SchemaStore.Cache store = new SchemaStore.Cache();
    store.addSchema(V1);
    byte[] unknown = bytes(Avro.singleObjectSerializer(V2), v2("b", 2, "tv"));
    byte[] plain = bytes(Avro.binarySerializer(V1), v1("a", 1));

    Run run = run(List.of(unknown, plain), Avro.singleObject(store, V1));

    assertThat(run.report().written()).isZero();
    assertThat(run.report().deadLettersByReason())
        .containsEntry("collect/unknown_schema", 1L)
        .containsEntry("collect/malformed", 1L);
    assertThat(run.letters())
        .filteredOn(l -> l.reason().equals("unknown_schema"))
        .singleElement()
        .satisfies(
            l ->
                assertThat(l.errorMessage())
                    .matches("no schema with fingerprint [0-9a-f]{16} in the store"));
  }

  @Test
  void registryWireFormatResolvesSchemaIds() throws IOException {
    SchemaRegistry registry = SchemaRegistry.inMemory();
    RecordSerializer<IndexedRecord> old = Avro.registrySerializer(registry, "clicks-value", V1);
    RecordSerializer<IndexedRecord> added = Avro.registrySerializer(registry, "clicks-value", V2);
    byte[] first = bytes(old, v1("a", 1));
    byte[] second = bytes(added, v2("b", 2, "tv"));

    Run run = run(List.of(first, second), Avro.registry(registry, V2));

    assertThat(first[0]).isZero();
    assertThat(Arrays.copyOfRange(first, 1, 5)).containsExactly(0, 0, 0, 1);
    assertThat(Arrays.copyOfRange(second, 1, 5)).containsExactly(0, 0, 0, 2);
    assertThat(fields(run.written(), "device")).containsExactly("tv", "unknown");
  }

  @Test
  void unknownSchemaIdsWrongMagicAndIncompatibleWritersAreDeadLettered() throws IOException {
    SchemaRegistry registry = SchemaRegistry.inMemory();
    Schema other =
        SchemaBuilder.record("Click")
            .namespace("dev.collect.test")
            .fields()
            .requiredInt("event_id")
            .endRecord();
    byte[] good = bytes(Avro.registrySerializer(registry, "s", V1), v1("a", 1));
    byte[] incompatible = bytes(Avro.registrySerializer(registry, "s", other), otherRecord(other));
    byte[] unknownId = good.clone();
    unknownId[4] = 99;
    byte[] wrongMagic = good.clone();
    wrongMagic[0] = 1;

    Run run =
        run(
            List.of(good, incompatible, unknownId, wrongMagic, new byte[] {0, 0}),
            Avro.registry(registry, V1));

    assertThat(run.report().written()).isEqualTo(1);
    assertThat(run.report().deadLettersByReason())
        .containsEntry("collect/incompatible_schema", 1L)
        .containsEntry("collect/unknown_schema", 1L)
        .containsEntry("collect/malformed", 2L);
    assertThat(run.letters())
        .filteredOn(l -> l.reason().equals("unknown_schema"))
        .singleElement()
        .satisfies(
            l -> assertThat(l.errorMessage()).isEqualTo("schema id 99 is not in the registry"));
  }

  private static GenericRecord otherRecord(Schema other) {
    GenericRecord r = new GenericData.Record(other);
    r.put("event_id", 7);
    return r;
  }

  @Test
  void anIncompatibleFixedReaderIsRefusedAtOnce() {
    Schema other =
        SchemaBuilder.record("Click")
            .namespace("dev.collect.test")
            .fields()
            .requiredInt("event_id")
            .endRecord();

    assertThatThrownBy(() -> Avro.binary(V1, other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be read as dev.collect.test.Click");
  }

  @Test
  void anUnreachableRegistryIsRetriedNotDeadLetteredAsUnknown() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    SchemaRegistry registry = SchemaRegistry.http(URI.create("http://127.0.0.1:" + port));
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(Source.fromList("avro", List.of(new byte[] {0, 0, 0, 0, 1, 2, 'a', 2})))
            .collect(Avro.registry(registry, V1))
            .to(new TestSink<GenericRecord>())
            .deadLetters(dead)
            .retry(
                dev.collect.core.RetryPolicy.builder()
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
            });
  }

  @Test
  void serialisersWriteGeneratedRecordsToo() throws Exception {
    byte[] written =
        Avro.binarySerializer(SpecificClick.SCHEMA$).serialize(new SpecificClick("g", 9L));

    Run run = run(List.of(written), Avro.binary(SpecificClick.SCHEMA$));

    assertThat(run.written())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.get("event_id").toString()).isEqualTo("g");
              assertThat(r.get("user_id")).isEqualTo(9L);
            });
  }
}
