package dev.collect.stream;

import dev.collect.core.spi.Checks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a Kafka source. Immutable; build with {@link #builder()}. Required: bootstrap
 * servers, a group id and either topics or a topic pattern.
 *
 * @param bootstrapServers {@code host:port,...}
 * @param groupId the consumer group; instances with the same group share the partitions
 * @param topics the topics to subscribe to, or empty when {@code topicPattern} is set
 * @param topicPattern a pattern of topics to subscribe to, or null when {@code topics} is set
 * @param name the source's name for metrics and dead letters; default {@value #DEFAULT_NAME}
 * @param autoOffsetReset where a group with no committed offset starts: {@code earliest} (default)
 *     or {@code latest}
 * @param maxPollRecords records fetched per consumer poll; default {@value
 *     #DEFAULT_MAX_POLL_RECORDS}
 * @param pauseThreshold buffered records of one partition at which it is paused until the pipeline
 *     has taken them; default {@value #DEFAULT_PAUSE_THRESHOLD}
 * @param commitTimeout how long a synchronous offset commit may take; default 10 s
 * @param properties further consumer properties (security, fetch sizes); they cannot turn on
 *     auto-commit
 * @param untilCaughtUp a bounded run: the source is finished once the group has consumed every
 *     partition of its topics up to the end offsets they had when the source opened (records
 *     produced later are left for the next run); default false, an unbounded stream
 */
public record KafkaSourceConfig(
    String bootstrapServers,
    String groupId,
    List<String> topics,
    @Nullable Pattern topicPattern,
    String name,
    String autoOffsetReset,
    int maxPollRecords,
    int pauseThreshold,
    Duration commitTimeout,
    Map<String, String> properties,
    boolean untilCaughtUp) {

  public static final String DEFAULT_NAME = "kafka";
  public static final int DEFAULT_MAX_POLL_RECORDS = 1000;
  public static final int DEFAULT_PAUSE_THRESHOLD = 4000;
  public static final Duration DEFAULT_COMMIT_TIMEOUT = Duration.ofSeconds(10);

  public KafkaSourceConfig {
    Checks.notBlank("bootstrapServers", bootstrapServers);
    Checks.notBlank("groupId", groupId);
    topics = List.copyOf(topics == null ? List.of() : topics);
    if (topics.isEmpty() == (topicPattern == null)) {
      throw new IllegalArgumentException(
          "set either topics or a topicPattern, but got topics="
              + topics
              + " and topicPattern="
              + topicPattern);
    }
    Checks.notBlank("name", name);
    if (!"earliest".equals(autoOffsetReset) && !"latest".equals(autoOffsetReset)) {
      throw new IllegalArgumentException(
          "autoOffsetReset must be earliest or latest, but was " + autoOffsetReset);
    }
    Checks.positive("maxPollRecords", maxPollRecords);
    Checks.positive("pauseThreshold", pauseThreshold);
    Checks.positive("commitTimeout", commitTimeout);
    properties = Map.copyOf(properties == null ? Map.of() : properties);
    if ("true".equalsIgnoreCase(properties.get("enable.auto.commit"))) {
      throw new IllegalArgumentException(
          "enable.auto.commit=true would commit unsettled records; the source commits itself");
    }
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link KafkaSourceConfig}; not thread-safe. */
  public static final class Builder {
    private String bootstrapServers;
    private String groupId;
    private List<String> topics = List.of();
    private @Nullable Pattern topicPattern;
    private String name = DEFAULT_NAME;
    private String autoOffsetReset = "earliest";
    private int maxPollRecords = DEFAULT_MAX_POLL_RECORDS;
    private int pauseThreshold = DEFAULT_PAUSE_THRESHOLD;
    private Duration commitTimeout = DEFAULT_COMMIT_TIMEOUT;
    private Map<String, String> properties = Map.of();
    private boolean untilCaughtUp;

    private Builder() {}

    /** Required: {@code host:port,...}. */
    public Builder bootstrapServers(String value) {
      this.bootstrapServers = value;
      return this;
    }

    /** Required: the consumer group. */
    public Builder groupId(String value) {
      this.groupId = value;
      return this;
    }

    /** The topics to read (or set {@link #topicPattern(Pattern)}). */
    public Builder topics(String... value) {
      this.topics = List.of(value);
      return this;
    }

    /** A pattern of topics to read, including topics created later. */
    public Builder topicPattern(Pattern value) {
      this.topicPattern = Objects.requireNonNull(value, "topicPattern");
      return this;
    }

    /** Default {@value #DEFAULT_NAME}. */
    public Builder name(String value) {
      this.name = value;
      return this;
    }

    /** Default {@code earliest}. */
    public Builder autoOffsetReset(String value) {
      this.autoOffsetReset = value;
      return this;
    }

    /** Default {@value #DEFAULT_MAX_POLL_RECORDS}. */
    public Builder maxPollRecords(int value) {
      Checks.positive("maxPollRecords", value);
      this.maxPollRecords = value;
      return this;
    }

    /** Default {@value #DEFAULT_PAUSE_THRESHOLD}. */
    public Builder pauseThreshold(int value) {
      Checks.positive("pauseThreshold", value);
      this.pauseThreshold = value;
      return this;
    }

    /** Default 10 s. */
    public Builder commitTimeout(Duration value) {
      Checks.positive("commitTimeout", value);
      this.commitTimeout = value;
      return this;
    }

    /** Further consumer properties; default none. */
    public Builder properties(Map<String, String> value) {
      this.properties = Objects.requireNonNull(value, "properties");
      return this;
    }

    /**
     * Makes the source bounded: it finishes once the group has consumed up to the end offsets its
     * topics had when the source opened, so {@code pipeline.run()} returns after a catch-up.
     * Default: unbounded.
     */
    public Builder untilCaughtUp() {
      this.untilCaughtUp = true;
      return this;
    }

    /** The config. */
    public KafkaSourceConfig build() {
      return new KafkaSourceConfig(
          bootstrapServers,
          groupId,
          topics,
          topicPattern,
          name,
          autoOffsetReset,
          maxPollRecords,
          pauseThreshold,
          commitTimeout,
          properties,
          untilCaughtUp);
    }
  }
}
