package dev.collect.stream;

import dev.collect.core.spi.Checks;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of a Kafka sink or dead-letter sink. The producer is always idempotent with {@code
 * acks=all}; these settings tune its batching. Immutable; build with {@link #builder()}.
 *
 * @param bootstrapServers {@code host:port,...}
 * @param topic the topic written to
 * @param name the sink's name for metrics and logs; default {@value #DEFAULT_NAME}
 * @param linger how long the producer waits to fill a batch; default 5 ms
 * @param batchBytes the producer's batch size per partition; default {@value #DEFAULT_BATCH_BYTES}
 * @param compression {@code none} (default), {@code lz4}, {@code zstd}, {@code snappy} or {@code
 *     gzip}
 * @param deliveryTimeout how long a record may take to be acknowledged, retries included; default 2
 *     minutes (Kafka's default)
 * @param properties further producer properties (security); they cannot weaken {@code acks} or
 *     idempotence
 */
public record KafkaSinkConfig(
    String bootstrapServers,
    String topic,
    String name,
    Duration linger,
    int batchBytes,
    String compression,
    Duration deliveryTimeout,
    Map<String, String> properties) {

  public static final String DEFAULT_NAME = "kafka";
  public static final int DEFAULT_BATCH_BYTES = 256 * 1024;

  public KafkaSinkConfig {
    Checks.notBlank("bootstrapServers", bootstrapServers);
    Checks.notBlank("topic", topic);
    Checks.notBlank("name", name);
    Checks.notNegative("linger", linger);
    Checks.positive("batchBytes", batchBytes);
    Checks.notBlank("compression", compression);
    Checks.positive("deliveryTimeout", deliveryTimeout);
    properties = Map.copyOf(properties == null ? Map.of() : properties);
    // Kafka trims these values before parsing them, so " 1" means acks=1: trim before judging.
    String acks = properties.get("acks");
    String idempotence = properties.get("enable.idempotence");
    if ((acks != null && !"all".equals(acks.trim()) && !"-1".equals(acks.trim()))
        || (idempotence != null && "false".equalsIgnoreCase(idempotence.trim()))) {
      throw new IllegalArgumentException(
          "the sink needs acks=all and an idempotent producer, but properties set acks="
              + acks
              + ", enable.idempotence="
              + properties.get("enable.idempotence"));
    }
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link KafkaSinkConfig}; not thread-safe. */
  public static final class Builder {
    private String bootstrapServers;
    private String topic;
    private String name = DEFAULT_NAME;
    private Duration linger = Duration.ofMillis(5);
    private int batchBytes = DEFAULT_BATCH_BYTES;
    private String compression = "none";
    private Duration deliveryTimeout = Duration.ofMinutes(2);
    private Map<String, String> properties = Map.of();

    private Builder() {}

    /** Required. */
    public Builder bootstrapServers(String value) {
      this.bootstrapServers = value;
      return this;
    }

    /** Required. */
    public Builder topic(String value) {
      this.topic = value;
      return this;
    }

    /** Default {@value #DEFAULT_NAME}. */
    public Builder name(String value) {
      this.name = value;
      return this;
    }

    /** Default 5 ms. */
    public Builder linger(Duration value) {
      Checks.notNegative("linger", value);
      this.linger = value;
      return this;
    }

    /** Default {@value #DEFAULT_BATCH_BYTES}. */
    public Builder batchBytes(int value) {
      Checks.positive("batchBytes", value);
      this.batchBytes = value;
      return this;
    }

    /** Default {@code none}. */
    public Builder compression(String value) {
      this.compression = value;
      return this;
    }

    /** Default 2 minutes. */
    public Builder deliveryTimeout(Duration value) {
      Checks.positive("deliveryTimeout", value);
      this.deliveryTimeout = value;
      return this;
    }

    /** Further producer properties; default none. */
    public Builder properties(Map<String, String> value) {
      this.properties = Objects.requireNonNull(value, "properties");
      return this;
    }

    /** The config. */
    public KafkaSinkConfig build() {
      return new KafkaSinkConfig(
          bootstrapServers,
          topic,
          name,
          linger,
          batchBytes,
          compression,
          deliveryTimeout,
          properties);
    }
  }
}
