package dev.collect.stream;

import dev.collect.core.spi.Checks;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Settings of an MQTT source. Immutable; build with {@link #builder()}. Required: a client id (the
 * broker keeps the persistent session under it) and at least one topic filter.
 *
 * @param serverUri {@code tcp://host:port} or {@code ssl://host:port} (TLS; port defaults 1883 and
 *     8883); default {@code tcp://127.0.0.1:1883}
 * @param clientId the client id; must be stable across restarts for the session to persist
 * @param subscriptions topic filter to QoS (0, 1 or 2), in subscription order
 * @param name the source's name; default {@code mqtt}
 * @param version the protocol version; default {@link MqttVersion#V5}
 * @param cleanSession false (default) keeps the session, and unacknowledged messages, across
 *     reconnects and restarts; true starts a fresh session that ends with the connection
 * @param sessionExpiry MQTT 5 only: how long the broker keeps the session after a disconnect;
 *     default {@link #SESSION_NEVER_EXPIRES} (as MQTT 3.1.1 does), zero with {@code cleanSession}
 * @param username the user name, or null (default)
 * @param password the password, or null (default); never logged
 * @param trustManagers the certificates trusted for an {@code ssl://} server, or null for the JVM's
 *     default trust store
 * @param keyManagers the client certificate for an {@code ssl://} server, or null for none
 * @param connectionTimeout how long a connection attempt may take; default 10 s
 * @param keepAlive the MQTT keep-alive interval; default 30 s
 * @param maxReconnectDelay the cap of the doubling delay between reconnection attempts (which start
 *     at 1 s); default 30 s
 * @param bufferMessages messages received but not yet taken by the pipeline; when that many wait,
 *     the client takes no more from the broker, which keeps them; default 1,000
 * @param sequence where messages carry their publisher's number, to detect messages the broker
 *     dropped (see {@link PublisherSequence}); default null, no detection
 */
public record MqttSourceConfig(
    String serverUri,
    String clientId,
    Map<String, Integer> subscriptions,
    String name,
    MqttVersion version,
    boolean cleanSession,
    Duration sessionExpiry,
    @Nullable String username,
    char @Nullable [] password,
    @Nullable TrustManagerFactory trustManagers,
    @Nullable KeyManagerFactory keyManagers,
    Duration connectionTimeout,
    Duration keepAlive,
    Duration maxReconnectDelay,
    int bufferMessages,
    PublisherSequence.@Nullable Extractor sequence) {

  /** The longest session expiry MQTT 5 has, which brokers read as "never expires". */
  public static final Duration SESSION_NEVER_EXPIRES = Duration.ofSeconds(4_294_967_295L);

  public MqttSourceConfig {
    Checks.notBlank("serverUri", serverUri);
    URI uri = URI.create(serverUri);
    if (!"tcp".equals(uri.getScheme()) && !"ssl".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "serverUri must be tcp://host:port or ssl://host:port, but was " + serverUri);
    }
    if ((trustManagers != null || keyManagers != null) && !"ssl".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          "trustManagers and keyManagers need an ssl:// serverUri, but it was " + serverUri);
    }
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
    subscriptions = Collections.unmodifiableMap(new LinkedHashMap<>(subscriptions));
    Checks.notBlank("name", name);
    Objects.requireNonNull(version, "version");
    checkSessionExpiry(sessionExpiry);
    password = password == null ? null : password.clone();
    Checks.positive("connectionTimeout", connectionTimeout);
    Checks.positive("keepAlive", keepAlive);
    Checks.positive("maxReconnectDelay", maxReconnectDelay);
    Checks.positive("bufferMessages", bufferMessages);
  }

  private static void checkSessionExpiry(Duration value) {
    Checks.notNegative("sessionExpiry", value);
    if (value.compareTo(SESSION_NEVER_EXPIRES) > 0) {
      throw new IllegalArgumentException(
          "sessionExpiry must be at most " + SESSION_NEVER_EXPIRES + ", but was " + value);
    }
  }

  /** Whether the server URI asks for TLS. */
  public boolean tls() {
    return serverUri.startsWith("ssl:");
  }

  @Override
  public String toString() {
    // Credentials are never printed.
    return "MqttSourceConfig{serverUri="
        + serverUri
        + ", clientId="
        + clientId
        + ", version="
        + version
        + "}";
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
    private MqttVersion version = MqttVersion.V5;
    private boolean cleanSession;
    private Duration sessionExpiry;
    private @Nullable String username;
    private char @Nullable [] password;
    private @Nullable TrustManagerFactory trustManagers;
    private @Nullable KeyManagerFactory keyManagers;
    private Duration connectionTimeout = Duration.ofSeconds(10);
    private Duration keepAlive = Duration.ofSeconds(30);
    private Duration maxReconnectDelay = Duration.ofSeconds(30);
    private int bufferMessages = 1000;
    private PublisherSequence.@Nullable Extractor sequence;

    private Builder() {}

    /** Default {@code tcp://127.0.0.1:1883}; {@code ssl://} for TLS. */
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

    /** Default {@link MqttVersion#V5}; {@link MqttVersion#V3_1_1} for brokers without MQTT 5. */
    public Builder version(MqttVersion value) {
      this.version = Objects.requireNonNull(value, "version");
      return this;
    }

    /** Default false: a persistent session. */
    public Builder cleanSession(boolean value) {
      this.cleanSession = value;
      return this;
    }

    /**
     * MQTT 5: how long the broker keeps the session (subscriptions, unacknowledged and queued
     * messages) after the connection ends. Default {@link #SESSION_NEVER_EXPIRES}, or zero with
     * {@code cleanSession(true)}. Ignored by MQTT 3.1.1, whose sessions do not expire.
     */
    public Builder sessionExpiry(Duration value) {
      checkSessionExpiry(value);
      this.sessionExpiry = value;
      return this;
    }

    /** Default none. */
    public Builder credentials(String user, char[] secret) {
      this.username = Objects.requireNonNull(user, "user");
      this.password = Objects.requireNonNull(secret, "secret").clone();
      return this;
    }

    /** The certificates to trust for {@code ssl://}; default the JVM's trust store. */
    public Builder trustManagers(TrustManagerFactory value) {
      this.trustManagers = Objects.requireNonNull(value, "trustManagers");
      return this;
    }

    /** The client certificate for {@code ssl://} (mutual TLS); default none. */
    public Builder keyManagers(KeyManagerFactory value) {
      this.keyManagers = Objects.requireNonNull(value, "keyManagers");
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
      Duration expiry =
          sessionExpiry != null
              ? sessionExpiry
              : cleanSession ? Duration.ZERO : SESSION_NEVER_EXPIRES;
      return new MqttSourceConfig(
          serverUri,
          clientId,
          subscriptions,
          name,
          version,
          cleanSession,
          expiry,
          username,
          password,
          trustManagers,
          keyManagers,
          connectionTimeout,
          keepAlive,
          maxReconnectDelay,
          bufferMessages,
          sequence);
    }
  }
}
