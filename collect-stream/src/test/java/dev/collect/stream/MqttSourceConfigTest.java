package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

class MqttSourceConfigTest {
  private static MqttSourceConfig.Builder minimal() {
    return MqttSourceConfig.builder().clientId("c").subscribe("t/#", 1);
  }

  @Test
  void defaultsAreMqtt5WithASessionThatNeverExpires() {
    MqttSourceConfig config = minimal().build();

    assertThat(config.serverUri()).isEqualTo("tcp://127.0.0.1:1883");
    assertThat(config.version()).isEqualTo(MqttVersion.V5);
    assertThat(config.cleanSession()).isFalse();
    assertThat(config.sessionExpiry()).isEqualTo(MqttSourceConfig.SESSION_NEVER_EXPIRES);
    assertThat(config.bufferMessages()).isEqualTo(1000);
    assertThat(config.tls()).isFalse();
  }

  @Test
  void aCleanSessionExpiresWithTheConnectionUnlessAnExpiryIsGiven() {
    assertThat(minimal().cleanSession(true).build().sessionExpiry()).isZero();
    assertThat(
            minimal()
                .cleanSession(true)
                .sessionExpiry(Duration.ofMinutes(5))
                .build()
                .sessionExpiry())
        .isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void rejectsBadValuesAtOnce() throws Exception {
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());

    assertThatThrownBy(() -> minimal().sessionExpiry(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> minimal().sessionExpiry(Duration.ofSeconds(4_294_967_296L)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> minimal().trustManagers(trust).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ssl://");
    assertThatThrownBy(() -> minimal().serverUri("http://host:1883").build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> minimal().subscribe("x", 3).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(minimal().serverUri("ssl://broker:8883").trustManagers(trust).build().tls())
        .isTrue();
  }

  @Test
  void credentialsAreNeverPrinted() {
    MqttSourceConfig config = minimal().credentials("user", "hunter2".toCharArray()).build();

    assertThat(config.toString()).doesNotContain("hunter2").doesNotContain("user");
  }
}
