package dev.collect.stream;

import dev.collect.core.spi.Checks;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a webhook source. Immutable; build with {@link #builder()}.
 *
 * @param name the source's name; default {@code webhook}
 * @param host the address to bind; default {@code 127.0.0.1} (loopback: put a TLS-terminating proxy
 *     in front to expose it)
 * @param port the port; default 8080, 0 picks a free one
 * @param path the events endpoint; default {@code /events}
 * @param healthPath the health endpoint; default {@code /health}
 * @param secret the shared HMAC-SHA256 secret, or null to accept unsigned requests (default null;
 *     only for trusted networks)
 * @param timestampTolerance how far a signed timestamp may be from now; default 5 minutes
 * @param maxBodyBytes the largest body accepted; default 1 MiB, larger ones get 413
 * @param maxEventsPerRequest the most events in one request; default 10,000
 * @param bufferEvents events accepted but not yet taken by the pipeline; default 10,000
 * @param bufferBytes bytes of such events; default 16 MiB
 * @param retryAfter the {@code Retry-After} sent with 429; default 1 s
 * @param threads threads answering requests; default 4 (the server adds one acceptor and one
 *     selector thread)
 * @param clock the clock for timestamps; default UTC system clock
 * @param keyStore a key store (PKCS12 by default) holding the built-in server's certificate and
 *     private key, or null for plain HTTP (default null); ignored by a mounted source, whose server
 *     does its own TLS
 * @param keyStorePassword the key store's password, also used for its key; never printed
 * @param keyStoreType the key store's type; default {@code PKCS12}
 */
public record WebhookSourceConfig(
    String name,
    String host,
    int port,
    String path,
    String healthPath,
    byte @Nullable [] secret,
    Duration timestampTolerance,
    int maxBodyBytes,
    int maxEventsPerRequest,
    int bufferEvents,
    long bufferBytes,
    Duration retryAfter,
    int threads,
    Clock clock,
    @Nullable Path keyStore,
    char @Nullable [] keyStorePassword,
    String keyStoreType) {

  public WebhookSourceConfig {
    Checks.notBlank("name", name);
    Checks.notBlank("host", host);
    Checks.inRange("port", port, 0, 65535);
    if (path == null
        || !path.startsWith("/")
        || healthPath == null
        || !healthPath.startsWith("/")) {
      throw new IllegalArgumentException(
          "paths must start with '/', but were '" + path + "' and '" + healthPath + "'");
    }
    if (secret != null) {
      Checks.atLeastBytes("secret", secret, 16);
    }
    secret = secret == null ? null : secret.clone();
    Checks.positive("timestampTolerance", timestampTolerance);
    Checks.positive("maxBodyBytes", maxBodyBytes);
    Checks.positive("maxEventsPerRequest", maxEventsPerRequest);
    Checks.positive("bufferEvents", bufferEvents);
    Checks.positive("bufferBytes", bufferBytes);
    Checks.positive("retryAfter", retryAfter);
    Checks.positive("threads", threads);
    Objects.requireNonNull(clock, "clock");
    if (keyStore != null && keyStorePassword == null) {
      throw new IllegalArgumentException("keyStore " + keyStore + " needs a keyStorePassword");
    }
    keyStorePassword = keyStorePassword == null ? null : keyStorePassword.clone();
    Checks.notBlank("keyStoreType", keyStoreType);
  }

  /** The secret (a copy), or null. */
  @Override
  public byte @Nullable [] secret() {
    return secret == null ? null : secret.clone();
  }

  /** The key store password (a copy), or null. */
  @Override
  public char @Nullable [] keyStorePassword() {
    return keyStorePassword == null ? null : keyStorePassword.clone();
  }

  @Override
  public String toString() {
    // The secret is never printed.
    // Neither the secret nor the key store password is ever printed.
    return "WebhookSourceConfig{name="
        + name
        + ", host="
        + host
        + ", port="
        + port
        + ", path="
        + path
        + ", tls="
        + (keyStore != null)
        + "}";
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link WebhookSourceConfig}; not thread-safe. */
  public static final class Builder {
    private String name = "webhook";
    private String host = "127.0.0.1";
    private int port = 8080;
    private String path = "/events";
    private String healthPath = "/health";
    private byte @Nullable [] secret;
    private Duration timestampTolerance = Duration.ofMinutes(5);
    private int maxBodyBytes = 1024 * 1024;
    private int maxEventsPerRequest = 10_000;
    private int bufferEvents = 10_000;
    private long bufferBytes = 16L * 1024 * 1024;
    private Duration retryAfter = Duration.ofSeconds(1);
    private int threads = 4;
    private Clock clock = Clock.systemUTC();
    private @Nullable Path keyStore;
    private char @Nullable [] keyStorePassword;
    private String keyStoreType = "PKCS12";

    private Builder() {}

    /** Default {@code webhook}. */
    public Builder name(String value) {
      this.name = value;
      return this;
    }

    /** Default {@code 127.0.0.1}. */
    public Builder host(String value) {
      this.host = value;
      return this;
    }

    /** Default 8080; 0 picks a free port. */
    public Builder port(int value) {
      this.port = value;
      return this;
    }

    /** Default {@code /events}. */
    public Builder path(String value) {
      this.path = value;
      return this;
    }

    /** Default {@code /health}. */
    public Builder healthPath(String value) {
      this.healthPath = value;
      return this;
    }

    /** The shared secret (at least 16 bytes); default none (unsigned requests accepted). */
    public Builder secret(byte[] value) {
      this.secret = Objects.requireNonNull(value, "secret").clone();
      return this;
    }

    /** Default 5 minutes. */
    public Builder timestampTolerance(Duration value) {
      Checks.positive("timestampTolerance", value);
      this.timestampTolerance = value;
      return this;
    }

    /** Default 1 MiB. */
    public Builder maxBodyBytes(int value) {
      Checks.positive("maxBodyBytes", value);
      this.maxBodyBytes = value;
      return this;
    }

    /** Default 10,000. */
    public Builder maxEventsPerRequest(int value) {
      Checks.positive("maxEventsPerRequest", value);
      this.maxEventsPerRequest = value;
      return this;
    }

    /** Default 10,000 events and 16 MiB. */
    public Builder buffer(int events, long bytes) {
      Checks.positive("bufferEvents", events);
      Checks.positive("bufferBytes", bytes);
      this.bufferEvents = events;
      this.bufferBytes = bytes;
      return this;
    }

    /** Default 1 s. */
    public Builder retryAfter(Duration value) {
      Checks.positive("retryAfter", value);
      this.retryAfter = value;
      return this;
    }

    /** Default 4. */
    public Builder threads(int value) {
      Checks.positive("threads", value);
      this.threads = value;
      return this;
    }

    /** Default {@code Clock.systemUTC()}. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Serves the built-in server over TLS (HTTPS only) with the certificate and private key in
     * {@code keyStore}, read with {@code password} (also the key's password) when the source opens;
     * default plain HTTP. The password is copied and never logged or printed.
     */
    public Builder tls(Path keyStore, char[] password) {
      this.keyStore = Objects.requireNonNull(keyStore, "keyStore");
      this.keyStorePassword = Objects.requireNonNull(password, "password").clone();
      return this;
    }

    /** The key store's type for {@link #tls}; default {@code PKCS12}. */
    public Builder keyStoreType(String value) {
      Checks.notBlank("keyStoreType", value);
      this.keyStoreType = value;
      return this;
    }

    /** The config. */
    public WebhookSourceConfig build() {
      return new WebhookSourceConfig(
          name,
          host,
          port,
          path,
          healthPath,
          secret,
          timestampTolerance,
          maxBodyBytes,
          maxEventsPerRequest,
          bufferEvents,
          bufferBytes,
          retryAfter,
          threads,
          clock,
          keyStore,
          keyStorePassword,
          keyStoreType);
    }
  }
}
