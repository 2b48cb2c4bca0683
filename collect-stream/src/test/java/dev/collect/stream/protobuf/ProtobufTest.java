package dev.collect.stream.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Api;
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
}
