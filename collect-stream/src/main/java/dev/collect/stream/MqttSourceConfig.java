package dev.collect.stream;

import dev.collect.core.spi.Checks;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLSocketFactory;

/**
 * Settings of an MQTT source. Immutable; build with {@link #builder()}. Required: a client id (the
 * broker keeps the persistent session under it) and at least one topic filter.
 *
 * @param serverUri {@code tcp://host:1883} or {@code ssl://host:8883}; default {@code
 *     tcp://127.0.0.1:1883}
 * @param clientId the client id; must be stable across restarts for the session to persist
 * @param subscriptions topic filter to QoS (0, 1 or 2), in subscription order
 * @param name the source's name; default {@code mqtt}
 * @param cleanSession false (default) keeps the session, and unacknowledged messages, across
 *     reconnects and restarts
 * @param username the user name, or null (default)
 * @param password the password, or null (default); never logged
 * @param socketFactory the TLS socket factory for {@code ssl://} URIs, or null for the JVM's
 *     default
 * @param connectionTimeout how long a connection attempt may take; default 10 s
 * @param keepAlive the MQTT keep-alive interval; default 30 s
 * @param maxReconnectDelay the cap of the doubling delay between reconnection attempts (which start
 *     at 1 s); default 30 s
 * @param bufferMessages messages received but not yet taken by the pipeline; when full, the
 *     receiving thread waits (the broker then holds further messages); default 1,000
 * @param sequence where messages carry their publisher's number, to detect messages the broker
 *     dropped (see {@link PublisherSequence}); default null, no detection
 */
public record MqttSourceConfig(
    String serverUri,
    String clientId,
    Map<String, Integer> subscriptions,
    String name,
    boolean cleanSession,
    String username,
    char[] password,
    SSLSocketFactory socketFactory,
    Duration connectionTimeout,
    Duration keepAlive,
    Duration maxReconnectDelay,
    int bufferMessages,
    PublisherSequence.Extractor sequence) {

  public MqttSourceConfig {
    Checks.notBlank("serverUri", serverUri);
    Checks.notBlank("clientId", clientId);
    if (subscriptions == null || subscriptions.isEmpty()) {
      throw new IllegalArgumentException("subscribe to at least one topic filter");
    }
    subscriptions.forEach(
        (filter, qos) -> {
          Checks.notBlank("topic filter", filter);
          if (qos == null || qos < 0 || qos > 2) {
            throw new IllegalArgumentException(
                "qos of '" + filter + "' must be 0, 1 or 2, but was " + qos);
          }
        });
    subscriptions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(subscriptions));
    Checks.notBlank("name", name);
    password = password == null ? null : password.clone();
    Checks.positive("connectionTimeout", connectionTimeout);
    Checks.positive("keepAlive", keepAlive);
    Checks.positive("maxReconnectDelay", maxReconnectDelay);
    Checks.positive("bufferMessages", bufferMessages);
  }

  @Override
  public String toString() {
    // Credentials are never printed.
    return "MqttSourceConfig{serverUri=" + serverUri + ", clientId=" + clientId + "}";
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link MqttSourceConfig}; not thread-safe. */
  public static final class Builder {
    private String serverUri = "tcp://127.0.0.1:1883";
    private String clientId;
    private final Map<String, Integer> subscriptions = new LinkedHashMap<>();
    private String name = "mqtt";
    private boolean cleanSession;
    private String username;
    private char[] password;
    private SSLSocketFactory socketFactory;
    private Duration connectionTimeout = Duration.ofSeconds(10);
    private Duration keepAlive = Duration.ofSeconds(30);
    private Duration maxReconnectDelay = Duration.ofSeconds(30);
    private int bufferMessages = 1000;
    private PublisherSequence.Extractor sequence;

    private Builder() {}

    /** Default {@code tcp://127.0.0.1:1883}. */
    public Builder serverUri(String value) {
      this.serverUri = value;
      return this;
    }

    /** Required. */
    public Builder clientId(String value) {
      this.clientId = value;
      return this;
    }

    /** Adds a subscription. */
    public Builder subscribe(String topicFilter, int qos) {
      this.subscriptions.put(topicFilter, qos);
      return this;
    }

    /** Default {@code mqtt}. */
    public Builder name(String value) {
      this.name = value;
      return this;
    }

    /** Default false: a persistent session. */
    public Builder cleanSession(boolean value) {
      this.cleanSession = value;
      return this;
    }

    /** Default none. */
    public Builder credentials(String user, char[] secret) {
      this.username = Objects.requireNonNull(user, "user");
      this.password = Objects.requireNonNull(secret, "secret").clone();
      return this;
    }

    /** Default: the JVM's default TLS settings for {@code ssl://} URIs. */
    public Builder socketFactory(SSLSocketFactory value) {
      this.socketFactory = Objects.requireNonNull(value, "socketFactory");
      return this;
    }

    /** Default 10 s. */
    public Builder connectionTimeout(Duration value) {
      Checks.positive("connectionTimeout", value);
      this.connectionTimeout = value;
      return this;
    }

    /** Default 30 s. */
    public Builder keepAlive(Duration value) {
      Checks.positive("keepAlive", value);
      this.keepAlive = value;
      return this;
    }

    /** Default 30 s. */
    public Builder maxReconnectDelay(Duration value) {
      Checks.positive("maxReconnectDelay", value);
      this.maxReconnectDelay = value;
      return this;
    }

    /** Default 1,000. */
    public Builder bufferMessages(int value) {
      Checks.positive("bufferMessages", value);
      this.bufferMessages = value;
      return this;
    }

    /**
     * Declares where each message carries its publisher's number (0, 1, 2... per publisher, e.g.
     * {@link PublisherSequence#jsonField(String)}): skipped numbers are then dead-lettered as one
     * {@link MessagesLostException} record per gap and counted by {@code
     * collect.mqtt.messages.lost}. Default: no detection.
     */
    public Builder sequence(PublisherSequence.Extractor value) {
      this.sequence = Objects.requireNonNull(value, "sequence");
      return this;
    }

    /** The config. */
    public MqttSourceConfig build() {
      return new MqttSourceConfig(
          serverUri,
          clientId,
          subscriptions,
          name,
          cleanSession,
          username,
          password,
          socketFactory,
          connectionTimeout,
          keepAlive,
          maxReconnectDelay,
          bufferMessages,
          sequence);
    }
  }
}
