package dev.collect.stream.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Api;
import com.google.protobuf.DescriptorProtos.DescriptorProto.ExtensionRange;
import com.google.protobuf.Method;
import com.google.protobuf.Timestamp;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Source;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Protobuf's own generated types (shipped in protobuf-java) through a pipeline. */
class ProtobufTest {

  @Test
  void parsesMessagesAndDeadLettersMalformedBytesWithTheReason() throws Exception {
    byte[] good =
        Protobuf.serializer()
            .serialize(Api.newBuilder().setName("orders").setVersion("v2").build());
    byte[] truncated = Arrays.copyOf(good, good.length - 1);
    byte[] badWireType = {0x0F}; // field 1, wire type 7: no such wire type
    byte[] badUtf8 = {0x0A, 0x02, (byte) 0xC3, 0x28}; // name = invalid UTF-8
    List<byte[]> inputs = new ArrayList<>(List.of(good, truncated, badWireType, badUtf8));
    inputs.add(null);
    TestSink<Api> sink = new TestSink<>();
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(Source.fromList("pb", inputs))
            .collect(Protobuf.collector(Api.class))
            .to(sink)
            .deadLetters(dead)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.received()).isEqualTo(report.written() + report.deadLettered()).isEqualTo(5);
    assertThat(sink.values()).extracting(Api::getName).containsExactly("orders");
    assertThat(dead.letters())
        .hasSize(4)
        .allSatisfy(
            l -> {
              assertThat(l.reason()).isEqualTo("malformed");
              assertThat(l.errorMessage())
                  .matches("(malformed Protobuf|no Protobuf bytes) for google\\.protobuf\\.Api: .+")
                  .doesNotContain("orders");
            });
  }

  @Test
  void fieldsTheTypeDoesNotKnowAreKeptNotRejected() throws Exception {
    byte[] newer = {0x08, 0x05, (byte) 0xA0, 0x06, 0x01}; // seconds = 5, field 100 = 1

    RunReport report;
    TestSink<Timestamp> sink = new TestSink<>();
    report =
        Pipeline.from(Source.fromList("pb", List.of(newer)))
            .collect(Protobuf.collector(Timestamp.class))
            .to(sink)
            .build()
            .run();

    assertThat(report.written()).isEqualTo(1);
    assertThat(sink.values().get(0).getSeconds()).isEqualTo(5);
    assertThat(sink.values().get(0).getUnknownFields().hasField(100)).isTrue();
    assertThat(Protobuf.serializer().serialize(sink.values().get(0))).isEqualTo(newer);
  }

  @Test
  void aClassThatIsNotAGeneratedMessageIsRefused() {
    assertThatThrownBy(() -> Protobuf.collector(com.google.protobuf.DynamicMessage.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a generated protobuf message class");
  }

  @Test
  void theRegistryFormatHasTheMagicByteTheSchemaIdAndTheMessageIndexes() throws Exception {
    Api api = Api.newBuilder().setName("orders").build();
    Method method = Method.newBuilder().setName("get").build();
    ExtensionRange range = ExtensionRange.newBuilder().setStart(1).setEnd(9).build();

    byte[] first = Protobuf.registrySerializer(42).serialize(api);
    byte[] second = Protobuf.registrySerializer(42).serialize(method);
    byte[] nested = Protobuf.registrySerializer(300).serialize(range);

    // Api is the first message of api.proto: the path [0] is one 0; Method is the second: count 1
    // and index 1, each a zig-zag varint (2); ExtensionRange is nested in the third message of
    // descriptor.proto: [2, 0], count 2.
    assertThat(Arrays.copyOf(first, 6)).containsExactly(0, 0, 0, 0, 42, 0);
    assertThat(Arrays.copyOfRange(first, 6, first.length)).isEqualTo(api.toByteArray());
    assertThat(Arrays.copyOf(second, 7)).containsExactly(0, 0, 0, 0, 42, 2, 2);
    assertThat(Arrays.copyOf(nested, 8)).containsExactly(0, 0, 0, 1, 44, 4, 4, 0);
    assertThat(Protobuf.registrySerializer(42).serialize(null)).isNull();
  }

  @Test
  void registryBytesRoundTripAndWrongFramingIsDeadLetteredWithTheReason() throws Exception {
    Method get = Method.newBuilder().setName("get").setRequestTypeUrl("t/req").build();
    byte[] good = Protobuf.registrySerializer(7).serialize(get);
    byte[] plain = get.toByteArray(); // no header: first byte is a tag, not 0
    byte[] otherMessage = Protobuf.registrySerializer(7).serialize(Api.getDefaultInstance());
    byte[] shortHeader = {0, 0, 0};
    byte[] truncated = Arrays.copyOf(good, good.length - 1);
    List<byte[]> inputs =
        new ArrayList<>(List.of(good, plain, otherMessage, shortHeader, truncated));
    inputs.add(null);
    TestSink<Method> sink = new TestSink<>();
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(Source.fromList("pb", inputs))
            .collect(Protobuf.registryCollector(Method.class))
            .to(sink)
            .deadLetters(dead)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.received()).isEqualTo(6);
    assertThat(sink.values()).containsExactly(get);
    assertThat(dead.letters())
        .extracting(l -> l.errorMessage())
        .containsExactly(
            "not the registry wire format for google.protobuf.Method: the first byte is 10, not"
                + " the magic byte 0",
            "the message indexes [0] name another message of the .proto file than"
                + " google.protobuf.Method [1]",
            "not the registry wire format for google.protobuf.Method: 3 bytes, shorter than its"
                + " header",
            "malformed Protobuf for google.protobuf.Method: While parsing a protocol message, the"
                + " input ended unexpectedly in the middle of a field.  This could mean either that"
                + " the input has been truncated or that an embedded message misreported its own"
                + " length.",
            "no Protobuf bytes for google.protobuf.Method: the record has a null value (a"
                + " tombstone)");
    assertThat(dead.letters()).allSatisfy(l -> assertThat(l.reason()).isEqualTo("malformed"));
  }
}
