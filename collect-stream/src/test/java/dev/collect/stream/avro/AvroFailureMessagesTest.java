package dev.collect.stream.avro;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Source;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * "Bad lengths or union indexes" are {@code malformed}, and "the messages name schemas, ids and
 * fingerprints, never record contents".
 */
class AvroFailureMessagesTest {
  static final Schema NOTE =
      SchemaBuilder.record("Note")
          .namespace("dev.collect.test")
          .fields()
          .requiredString("text")
          .optionalString("extra") // union of null and string
          .endRecord();

  /** Avro's zig-zag varint of {@code n}. */
  private static byte[] varint(long n) {
    long z = (n << 1) ^ (n >> 63);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((z & ~0x7FL) != 0) {
      out.write((int) ((z & 0x7F) | 0x80));
      z >>>= 7;
    }
    out.write((int) z);
    return out.toByteArray();
  }

  /** A Note written by hand: its text, then the union index and the branch's string. */
  private static byte[] note(String text, long unionIndex, String extra) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] t = text.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(varint(t.length));
    out.writeBytes(t);
    out.writeBytes(varint(unionIndex));
    byte[] e = extra.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(varint(e.length));
    out.writeBytes(e);
    return out.toByteArray();
  }

  @Test
  void badUnionIndexesAreMalformedAndNoMessageQuotesTheRecord() throws Exception {
    byte[] good = note("SECRET-TEXT-1", 1, "SECRET-EXTRA-1");
    GenericRecord expected = new GenericData.Record(NOTE);
    expected.put("text", "SECRET-TEXT-1");
    expected.put("extra", "SECRET-EXTRA-1");
    assertThat(Avro.binarySerializer(NOTE).serialize(expected)).isEqualTo(good);
    byte[] unionTooHigh = note("SECRET-TEXT-2", 2, "SECRET-EXTRA-2");
    byte[] unionNegative = note("SECRET-TEXT-3", -1, "SECRET-EXTRA-3");
    byte[] unionHuge = note("SECRET-TEXT-4", Integer.MAX_VALUE + 10L, "SECRET-EXTRA-4");
    byte[] truncated = Arrays.copyOf(note("SECRET-TEXT-5", 1, "SECRET-EXTRA-5"), 20);
    ByteArrayOutputStream withTrailing = new ByteArrayOutputStream();
    withTrailing.writeBytes(note("SECRET-TEXT-6", 1, "SECRET-EXTRA-6"));
    withTrailing.writeBytes("SECRET-TRAILING".getBytes(StandardCharsets.UTF_8));
    byte[] trailing = withTrailing.toByteArray();
    List<byte[]> inputs =
        List.of(good, unionTooHigh, unionNegative, unionHuge, truncated, trailing);
    TestSink<GenericRecord> sink = new TestSink<>();
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(Source.fromList("avro", inputs))
            .collect(Avro.binary(NOTE))
            .to(sink)
            .deadLetters(dead)
            .build()
            .run();

    assertThat(sink.values())
        .singleElement()
        .satisfies(r -> assertThat(r.get("extra").toString()).isEqualTo("SECRET-EXTRA-1"));
    assertThat(dead.letters())
        .extracting(l -> Arrays.toString(l.payloadBytes()))
        .containsExactlyInAnyOrder(
            Arrays.toString(unionTooHigh),
            Arrays.toString(unionNegative),
            Arrays.toString(unionHuge),
            Arrays.toString(truncated),
            Arrays.toString(trailing));
    assertThat(dead.letters())
        .allSatisfy(
            l -> {
              assertThat(l.reason()).isEqualTo("malformed");
              assertThat(l.errorMessage())
                  .startsWith("malformed Avro binary for dev.collect.test.Note: ")
                  .doesNotContain("SECRET")
                  .doesNotContain("TEXT")
                  .doesNotContain("EXTRA")
                  .doesNotContain("TRAILING");
              assertThat(String.join("\n", l.stackTrace() == null ? List.of() : l.stackTrace()))
                  .doesNotContain("SECRET");
            });
    assertThat(report.deadLettered()).isEqualTo(5);
    assertThat(report.invariantHolds()).isTrue();
  }
}
