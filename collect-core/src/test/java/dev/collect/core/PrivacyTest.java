package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.collect.core.fixtures.Click;
import dev.collect.core.privacy.FieldCipher;
import dev.collect.core.privacy.Personal;
import dev.collect.core.privacy.Privacy;
import dev.collect.core.privacy.PrivacyAction;
import dev.collect.core.privacy.PrivacyKeys;
import dev.collect.core.privacy.Pseudonymizer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class PrivacyTest {

  static final PrivacyKeys KEYS =
      PrivacyKeys.builder()
          .hmacKey("bench-fixed-hmac-key-v1".getBytes(StandardCharsets.UTF_8))
          .aesKey("k1", new byte[32])
          .build();

  record Visitor(
      @Personal(PrivacyAction.PSEUDONYMIZE) String userId,
      @Personal(PrivacyAction.MASK) String phone,
      @Personal(PrivacyAction.GENERALIZE) String ip,
      @Personal(value = PrivacyAction.GENERALIZE, truncateTo = java.time.temporal.ChronoUnit.DAYS)
          Instant seenAt,
      @Personal(PrivacyAction.DROP) String email,
      @Personal(PrivacyAction.ENCRYPT) String name,
      String page) {}

  @Test
  void pseudonymsAreKeyedHmacSha256Hex() {
    assertThat(Pseudonymizer.of(KEYS).apply("280705"))
        .hasSize(64)
        .startsWith("cb90e361")
        .endsWith("8b0c");
  }

  @Test
  void annotatedRecordFieldsAreProtected() {
    UnaryOperator<Visitor> protect = Privacy.forType(Visitor.class, KEYS);
    Visitor v =
        new Visitor(
            "280705",
            "+4915112345678",
            "192.168.10.77",
            Instant.parse("2026-11-24T13:45:12Z"),
            "a@b.c",
            "Ada Lovelace",
            "home");

    Visitor p = protect.apply(v);

    assertThat(p.userId()).isEqualTo(Pseudonymizer.of(KEYS).apply("280705"));
    assertThat(p.phone()).isEqualTo("**********5678");
    assertThat(p.ip()).isEqualTo("192.168.10.0");
    assertThat(p.seenAt()).isEqualTo(Instant.parse("2026-11-24T00:00:00Z"));
    assertThat(p.email()).isNull();
    assertThat(p.name()).startsWith("enc:v1:k1:").doesNotContain("Ada");
    assertThat(FieldCipher.of(KEYS).decrypt(p.name())).isEqualTo("Ada Lovelace");
    assertThat(p.page()).isEqualTo("home");
  }

  @Test
  void aRuleThatDoesNotFitItsFieldFailsAtBuildTime() {
    record Bad(@Personal(PrivacyAction.PSEUDONYMIZE) Long userId) {}

    assertThatThrownBy(() -> Privacy.forType(Bad.class, KEYS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PSEUDONYMIZE does not fit Bad.userId of type Long");
  }

  @Test
  void tamperedCiphertextIsRejected() {
    String sealed = FieldCipher.of(KEYS).encrypt("secret");
    String tampered = sealed.substring(0, sealed.length() - 4) + "AAAA";

    assertThatThrownBy(() -> FieldCipher.of(KEYS).decrypt(tampered))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("secret");
  }

  @Test
  void pathRulesApplyToJsonAndMaps() {
    var rules =
        Privacy.json(KEYS)
            .field("user.email", PrivacyAction.DROP)
            .field("user.ip", PrivacyAction.GENERALIZE)
            .field("age", PrivacyAction.GENERALIZE)
            .build();

    String json =
        new String(
            rules.redactJson(
                "{\"user\":{\"email\":\"a@b.c\",\"ip\":\"10.1.2.3\"},\"age\":37}"
                    .getBytes(StandardCharsets.UTF_8)),
            StandardCharsets.UTF_8);
    Map<String, Object> map = rules.redactMap(Map.of("user", Map.of("ip", "10.9.9.9"), "age", 12));

    assertThat(json).isEqualTo("{\"user\":{\"ip\":\"10.1.2.0\"},\"age\":30}");
    assertThat(map).containsEntry("age", 10).containsEntry("user", Map.of("ip", "10.9.9.0"));
    assertThat(rules.covers("user.email")).isTrue();
    assertThat(rules.covers("page")).isFalse();
  }

  @Test
  void keysNeverShowInToString() {
    assertThat(KEYS.toString()).doesNotContain("bench-fixed").contains("k1");
  }

  @Test
  void pseudonymisationRunsAsAPipelineTransform() {
    UnaryOperator<Click> protect = Privacy.forType(Click.class, KEYS);
    dev.collect.core.testing.TestSink<Click> sink = new dev.collect.core.testing.TestSink<>();

    RunReport report =
        Pipeline.from(
                dev.collect.core.testing.TestSource.of(
                    java.util.List.of(new Click("e1", "u1", "view", 1))))
            .map(protect::apply)
            .to(sink)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(sink.values().get(0).user()).isEqualTo(Pseudonymizer.of(KEYS).apply("u1"));
  }
}
