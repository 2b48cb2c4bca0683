package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.collect.core.internal.json.Json;
import dev.collect.core.privacy.FieldCipher;
import dev.collect.core.privacy.JsonPrivacy;
import dev.collect.core.privacy.Privacy;
import dev.collect.core.privacy.PrivacyAction;
import dev.collect.core.privacy.PrivacyKeys;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.core.testing.TestSource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** With dead-letter privacy on, personal values do not leave through exception messages. */
@Timeout(60)
class DeadLetterPrivacyTest {

  static final PrivacyKeys KEYS =
      PrivacyKeys.builder()
          .hmacKey("test-hmac-key-of-32-bytes-length".getBytes(StandardCharsets.UTF_8))
          .aesKey("k1", new byte[32])
          .build();

  static final JsonPrivacy RULES =
      Privacy.json(KEYS)
          .field("email", PrivacyAction.PSEUDONYMIZE)
          .field("address.phone", PrivacyAction.MASK)
          .build();

  record Customer(String name, String email, Address address) {}

  record Address(String phone, String city) {}

  static byte[] customer(String name, String email, String phone) {
    return ("{\"name\":\""
            + name
            + "\",\"email\":\""
            + email
            + "\",\"address\":{\"phone\":\""
            + phone
            + "\",\"city\":\"Berlin\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void personalValuesAreRemovedFromMessagesOfACollectorAMapStepAndASink() {
    TestDeadLetterSink dead = new TestDeadLetterSink();
    TestSink<Customer> sink = new TestSink<>();
    List<byte[]> input =
        List.of(
            customer("collect", "ada@example.org", "+4915100000001"),
            customer("map", "bob@example.org", "+4915100000002"),
            customer("sink", "cy@example.org", "+4915100000003"),
            customer("fine", "dee@example.org", "+4915100000004"));

    RunReport report =
        Pipeline.from(TestSource.of(input))
            .collect(
                "parse",
                (Envelope<byte[]> in, Collector.Output<Customer> out) -> {
                  Customer c = Json.mapper().readValue(in.value(), Customer.class);
                  if (c.name().equals("collect")) {
                    throw new IllegalArgumentException(
                        "no account for " + c.email() + " at " + c.address().phone());
                  }
                  out.emit(c);
                })
            .map(
                "crm",
                c -> {
                  if (c.name().equals("map")) {
                    throw new IllegalStateException("CRM rejected customer " + c.email());
                  }
                  return c;
                })
            .to(
                Sink.of(
                    "mailer",
                    batch -> {
                      for (Envelope<Customer> e : batch) {
                        if (e.value().name().equals("sink")) {
                          throw new IllegalArgumentException(
                              "bounced: " + e.value().email() + " (" + e.value().name() + ")");
                        }
                      }
                      sink.write(batch);
                    }))
            .deadLetters(dead)
            .deadLetterPrivacy(RULES)
            .build()
            .run();

    assertThat(report.written()).isEqualTo(1);
    assertThat(report.deadLettered()).isEqualTo(3);
    assertThat(report.invariantHolds()).isTrue();
    assertThat(dead.letters())
        .extracting(DeadLetter::component, DeadLetter::errorMessage)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("parse", "no account for [redacted] at [redacted]"),
            org.assertj.core.groups.Tuple.tuple("crm", "CRM rejected customer [redacted]"),
            org.assertj.core.groups.Tuple.tuple("mailer", "bounced: [redacted] (sink)"));
    for (DeadLetter letter : dead.letters()) {
      assertThat(letter.toString()).doesNotContain("@example.org").doesNotContain("+49151");
    }
  }

  @Test
  void aDeadLetterAComponentBuildsThroughItsContextHasThePipelinesVersionsAndPrivacy() {
    TestDeadLetterSink own = new TestDeadLetterSink();
    TestDeadLetterSink dead = new TestDeadLetterSink();
    Collector<byte[], byte[]> sideLetters =
        new Collector<>() {
          private PipelineContext context;

          @Override
          public void open(PipelineContext context) {
            this.context = context;
          }

          @Override
          public void collect(Envelope<byte[]> in, Output<byte[]> out) throws Exception {
            own.write(
                List.of(
                    context.deadLetter(
                        dev.collect.core.spi.Failure.of(
                            in,
                            "side",
                            Stage.COLLECT,
                            "late",
                            new IllegalStateException("late for " + new String(in.value()))))));
          }
        };

    RunReport report =
        Pipeline.from(TestSource.of(List.of(customer("late", "fay@example.org", "+4915100000006"))))
            .collect("side", sideLetters)
            .to(new TestSink<>())
            .deadLetters(dead)
            .deadLetterPrivacy(RULES)
            .versions("v7", "s3")
            .build()
            .run();

    assertThat(report.filtered()).isEqualTo(1);
    assertThat(report.invariantHolds()).isTrue();
    assertThat(own.letters()).hasSize(1);
    DeadLetter letter = own.letters().get(0);
    assertThat(letter.pipelineVersion()).isEqualTo("v7");
    assertThat(letter.schemaVersion()).isEqualTo("s3");
    assertThat(letter.reason()).isEqualTo("late");
    assertThat(letter.attempts()).isEqualTo(1);
    assertThat(letter.lastFailure()).isEqualTo(letter.firstFailure());
    assertThat(letter.toString()).doesNotContain("@example.org").doesNotContain("+49151");
  }

  @Test
  void aSourceKeyHoldingAPersonalValueIsRedactedInTheDeadLetter() {
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(
                TestSource.of(List.of(customer("keyed", "eve@example.org", "+4915100000005")))
                    .keyedBy(bytes -> "eve@example.org"))
            .collect(Collector.json(Customer.class))
            .map(
                c -> {
                  throw new IllegalStateException("no mailbox");
                })
            .to(new TestSink<>())
            .deadLetters(dead)
            .deadLetterPrivacy(RULES)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(dead.letters()).extracting(DeadLetter::key).containsExactly("[redacted]");
  }

  @Test
  void aMessageIsLeftOutWhenThePayloadIsNotJsonSoPersonalFieldsCannotBeFound() {
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(TestSource.of(List.of("ada@example.org;+4915100000001")))
            .map(
                line -> {
                  throw new IllegalStateException("cannot split " + line);
                })
            .to(new TestSink<>())
            .deadLetters(dead)
            .deadLetterPrivacy(RULES)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(dead.letters()).hasSize(1);
    assertThat(dead.letters().get(0).errorClass()).isEqualTo("java.lang.IllegalStateException");
    assertThat(dead.letters().get(0).errorMessage())
        .isEqualTo("[left out: the payload is not JSON, so personal values cannot be told apart]");
    assertThat(dead.letters().get(0).payload()).isNull();
  }

  @Test
  void theKeyOfAPayloadThatIsNotJsonIsLeftOut() {
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(
                TestSource.of(List.of("ada@example.org;+4915100000001"))
                    .keyedBy(line -> line.substring(0, line.indexOf(';'))))
            .map(
                line -> {
                  throw new IllegalStateException("no mailbox");
                })
            .to(new TestSink<>())
            .deadLetters(dead)
            .deadLetterPrivacy(RULES)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(dead.letters()).singleElement().satisfies(l -> assertThat(l.key()).isNull());
    assertThat(dead.letters().get(0).toString()).doesNotContain("@example.org");
  }

  @Test
  void aMalformedRecordExceptionsMessageIsKeptWhenThePayloadIsNotJson() {
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(TestSource.of(List.of("ada@example.org;+4915100000001")))
            .map(
                line -> {
                  throw new MalformedRecordException("expected 3 fields, found 2");
                })
            .to(new TestSink<>())
            .deadLetters(dead)
            .deadLetterPrivacy(RULES)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(dead.letters())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.reason()).isEqualTo("malformed");
              assertThat(l.errorMessage()).isEqualTo("expected 3 fields, found 2");
              assertThat(l.payload()).isNull();
            });
  }

  @Test
  void decryptingWithAnUnknownKeyIdIsAnIllegalArgument() {
    String sealed = FieldCipher.of(KEYS).encrypt("Ada");
    PrivacyKeys other = PrivacyKeys.builder().aesKey("k2", new byte[32]).build();

    assertThatThrownBy(() -> FieldCipher.of(other).decrypt(sealed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'k1'");
  }
}
