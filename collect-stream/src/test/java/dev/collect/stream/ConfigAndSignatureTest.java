package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigAndSignatureTest {
  private static final byte[] SECRET =
      "a-secret-of-16-bytes-or-more".getBytes(StandardCharsets.UTF_8);

  @Test
  void signaturesVerifyOnlyForTheSameSecretTimestampAndBody() {
    byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    String signature = WebhookSignature.sign(SECRET, 1700000000L, body);

    assertThat(signature).startsWith("sha256=").hasSize(7 + 64);
    assertThat(WebhookSignature.verify(SECRET, 1700000000L, body, signature)).isTrue();
    assertThat(WebhookSignature.verify(SECRET, 1700000001L, body, signature)).isFalse();
    assertThat(WebhookSignature.verify(SECRET, 1700000000L, "{\"a\":2}".getBytes(), signature))
        .isFalse();
    assertThat(WebhookSignature.verify(SECRET, 1700000000L, body, "sha256=nothex")).isFalse();
    assertThat(WebhookSignature.verify(SECRET, 1700000000L, body, null)).isFalse();
  }

  @Test
  void everyAcceptedSpellingOfASignatureParsesToTheSameMac() {
    byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    String signature = WebhookSignature.sign(SECRET, 1700000000L, body);
    String hex = signature.substring("sha256=".length());
    byte[] mac = WebhookSignature.parse(signature);

    assertThat(mac).hasSize(32);
    for (String spelling :
        List.of(
            "sha256=" + hex.toUpperCase(Locale.ROOT),
            "SHA256=" + hex,
            "Sha256=" + mixedCase(hex),
            "  " + signature + " ",
            "\t" + signature)) {
      assertThat(WebhookSignature.parse(spelling)).as(spelling).isEqualTo(mac);
      assertThat(WebhookSignature.verify(SECRET, 1700000000L, body, spelling)).isTrue();
    }
    for (String refused :
        List.of("sha256= " + hex, "sha256:" + hex, hex, "sha256=" + hex + "0", "sha256=")) {
      assertThat(WebhookSignature.verify(SECRET, 1700000000L, body, refused)).as(refused).isFalse();
    }
  }

  private static String mixedCase(String hex) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < hex.length(); i++) {
      char c = hex.charAt(i);
      out.append(i % 2 == 0 ? Character.toUpperCase(c) : c);
    }
    return out.toString();
  }

  @Test
  void configsRejectUnsafeOrInvalidSettingsAtOnce() {
    assertThatThrownBy(
            () ->
                KafkaSourceConfig.builder()
                    .bootstrapServers("x:9092")
                    .groupId("g")
                    .topics("t")
                    .properties(Map.of("enable.auto.commit", "true"))
                    .build())
        .hasMessageContaining("enable.auto.commit");
    assertThatThrownBy(
            () -> KafkaSourceConfig.builder().bootstrapServers("x:9092").groupId("g").build())
        .hasMessageContaining("topics or a topicPattern");
    assertThatThrownBy(() -> KafkaSourceConfig.builder().maxPollRecords(-3))
        .hasMessage("maxPollRecords must be > 0, but was -3");
    assertThatThrownBy(
            () ->
                KafkaSinkConfig.builder()
                    .bootstrapServers("x:9092")
                    .topic("t")
                    .properties(Map.of("acks", "1"))
                    .build())
        .hasMessageContaining("acks=all");
    assertThatThrownBy(() -> WebhookSourceConfig.builder().secret("short".getBytes()).build())
        .hasMessageContaining("at least 16 bytes");
    assertThatThrownBy(() -> MqttSourceConfig.builder().clientId("c").subscribe("t", 3).build())
        .hasMessageContaining("qos");
    assertThat(
            MqttSourceConfig.builder()
                .clientId("c")
                .subscribe("t", 1)
                .credentials("user", "pw".toCharArray())
                .build()
                .toString())
        .doesNotContain("pw");
  }

  @Test
  void sinkPropertiesThatWeakenAcksOrIdempotenceAreRefused() {
    for (Map<String, String> weaker :
        List.of(
            Map.of("enable.idempotence", "false"),
            Map.of("enable.idempotence", "FALSE"),
            Map.of("enable.idempotence", " false "),
            Map.of("acks", "0"),
            Map.of("acks", " 1"),
            Map.of("acks", "all", "enable.idempotence", "false"))) {
      assertThatThrownBy(
              () ->
                  KafkaSinkConfig.builder()
                      .bootstrapServers("x:9092")
                      .topic("t")
                      .properties(weaker)
                      .build())
          .as("%s", weaker)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("acks=all and an idempotent producer");
    }
    for (Map<String, String> same :
        List.of(
            Map.of("acks", "all"),
            Map.of("acks", "-1"),
            Map.of("enable.idempotence", "true"),
            Map.of("security.protocol", "SSL"))) {
      assertThat(
              KafkaSinkConfig.builder()
                  .bootstrapServers("x:9092")
                  .topic("t")
                  .properties(same)
                  .build()
                  .properties())
          .isEqualTo(same);
    }
  }

  @Test
  void aWebhookConfigKeepsItsSecretAndKeyStorePasswordToItself() {
    char[] password = "store-pass-1234".toCharArray();
    WebhookSourceConfig config =
        WebhookSourceConfig.builder()
            .secret("0123456789abcdef-secret".getBytes())
            .tls(java.nio.file.Path.of("server.p12"), password)
            .build();
    password[0] = 'X';
    config.keyStorePassword()[1] = 'Y';

    assertThat(config.keyStorePassword()).isEqualTo("store-pass-1234".toCharArray());
    assertThat(config.keyStoreType()).isEqualTo("PKCS12");
    assertThat(config.toString())
        .contains("tls=true")
        .doesNotContain("store-pass")
        .doesNotContain("0123456789abcdef");
    assertThatThrownBy(
            () ->
                new WebhookSourceConfig(
                    "w",
                    "127.0.0.1",
                    0,
                    "/e",
                    "/h",
                    null,
                    java.time.Duration.ofMinutes(5),
                    1,
                    1,
                    1,
                    1,
                    java.time.Duration.ofSeconds(1),
                    1,
                    java.time.Clock.systemUTC(),
                    java.nio.file.Path.of("server.p12"),
                    null,
                    "PKCS12"))
        .hasMessageContaining("needs a keyStorePassword");
  }
}
