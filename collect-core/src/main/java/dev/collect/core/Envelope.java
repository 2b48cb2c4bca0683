package dev.collect.core;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One record in flight with its metadata: the value, an ordering key, event and ingest times,
 * headers, the name of its source, its {@link Position} and, when the source had them, the raw
 * bytes (dead letters carry them).
 *
 * <p>Immutable; the header map is not copied, so sources must not change it after handing it over.
 *
 * <p>Which key decides the worker: the key a record has at its flow's routing point. That point is
 * right after the flow's last {@link Flow#keyBy keyBy} or {@link Flow#routeByKey routeByKey} step,
 * whose steps before it run on the reader thread in source order; in a flow without such a step it
 * is the source, whose key decides. Records with equal non-null keys at that point are processed
 * and written in source order, also with several workers. A key set after the routing point (by a
 * later collector or step) stays on the record and reaches the sinks, but does not move the record
 * to another worker: records keyed only there keep no order across workers. Records with a null key
 * are spread over the workers in chunks.
 *
 * @param <T> the value's type
 */
public final class Envelope<T> {

  private final @Nullable T value;
  private final @Nullable Object key;
  private final @Nullable Instant eventTime;
  private final Instant ingestTime;
  private final Map<String, String> headers;
  private final @Nullable String source;
  private final @Nullable Position position;
  private final byte @Nullable [] raw;
  private final @Nullable Throwable failure;

  private Envelope(
      @Nullable T value,
      @Nullable Object key,
      @Nullable Instant eventTime,
      Instant ingestTime,
      Map<String, String> headers,
      @Nullable String source,
      @Nullable Position position,
      byte @Nullable [] raw,
      @Nullable Throwable failure) {
    this.value = value;
    this.key = key;
    this.eventTime = eventTime;
    this.ingestTime = Objects.requireNonNull(ingestTime, "ingestTime");
    this.headers = headers == null ? Map.of() : headers;
    this.source = source;
    this.position = position;
    this.raw = raw;
    this.failure = failure;
  }

  /**
   * An envelope with the given value, ingested now on the system clock, with no other metadata. A
   * component inside a pipeline takes the ingest time from its context instead: {@code
   * Envelope.builder(value).ingestTime(context.now()).build()}.
   */
  public static <T> Envelope<T> of(@Nullable T value) {
    return new Envelope<>(value, null, null, Instant.now(), Map.of(), null, null, null, null);
  }

  /**
   * Starts an envelope for a source: {@code Envelope.builder(value).position(p).raw(b).build()}.
   */
  public static <T> Builder<T> builder(@Nullable T value) {
    return new Builder<>(value);
  }

  /** The same metadata around a new value: how collectors and transforms derive their outputs. */
  public <U> Envelope<U> withValue(U newValue) {
    return new Envelope<>(
        newValue, key, eventTime, ingestTime, headers, source, position, raw, failure);
  }

  /** The same envelope with another event time. */
  public Envelope<T> withEventTime(@Nullable Instant newEventTime) {
    return new Envelope<>(
        value, key, newEventTime, ingestTime, headers, source, position, raw, failure);
  }

  /** The same envelope with another key. */
  public Envelope<T> withKey(@Nullable Object newKey) {
    return new Envelope<>(
        value, newKey, eventTime, ingestTime, headers, source, position, raw, failure);
  }

  /** The value; may be null (a tombstone). */
  public @Nullable T value() {
    return value;
  }

  /** The ordering key, or null when order between records does not matter. */
  public @Nullable Object key() {
    return key;
  }

  /** When the event happened, or null when unknown. */
  public @Nullable Instant eventTime() {
    return eventTime;
  }

  /** When the record entered the pipeline (start of end-to-end latency). */
  public Instant ingestTime() {
    return ingestTime;
  }

  /** Headers from the source (Kafka headers, HTTP headers, MQTT properties); never null. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The source's name, or null. */
  public @Nullable String source() {
    return source;
  }

  /** The position in the source, or null for sources that cannot resume. */
  public @Nullable Position position() {
    return position;
  }

  /** The original bytes as the source received them, or null. Do not modify. */
  public byte @Nullable [] raw() {
    return raw;
  }

  /**
   * The failure a source met while reading this record (a line that is not UTF-8, a truncated
   * file), or null. The runtime dead-letters such an envelope at stage {@link Stage#SOURCE} without
   * running the pipeline's steps on it.
   */
  public @Nullable Throwable failure() {
    return failure;
  }

  /**
   * A cheap estimate of the heap this record holds, used to bound polls, queues and sink batches in
   * bytes: the raw bytes when there are any, else the value's text or bytes, or for a map (a row, a
   * parsed line) its keys' and text values' lengths, one level deep; 96 bytes of overhead.
   */
  public int sizeEstimate() {
    int size = 96;
    Object v = value;
    // Class checks before interface checks: an interface check that misses scans the value's
    // interfaces; for a Long, checked against CharSequence and Map first, that was about 40 ns per
    // record, most of the trivial JMH pipeline's time.
    if (raw != null) {
      size += raw.length;
    } else if (v instanceof String text) {
      size += text.length();
    } else if (v instanceof byte[] bytes) {
      size += bytes.length;
    } else if (v == null || v instanceof Number || v instanceof Boolean) {
      size += 64;
    } else if (v instanceof CharSequence text) {
      size += text.length();
    } else if (v instanceof Map<?, ?> map) {
      size += mapSize(map);
    } else {
      size += 64;
    }
    return size;
  }

  private static int mapSize(Map<?, ?> map) {
    long size = 64;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      size += 32 + (e.getKey() instanceof CharSequence k ? k.length() : 16);
      Object v = e.getValue();
      size +=
          v instanceof CharSequence text
              ? text.length()
              : v instanceof byte[] bytes ? bytes.length : 16;
    }
    return (int) Math.min(size, Integer.MAX_VALUE - 1024);
  }

  @Override
  public String toString() {
    // Never prints the value or raw bytes: they may hold personal data.
    return "Envelope{source="
        + source
        + ", position="
        + position
        + ", eventTime="
        + eventTime
        + "}";
  }

  /** Builds envelopes; not thread-safe. */
  public static final class Builder<T> {
    private final @Nullable T value;
    private @Nullable Object key;
    private @Nullable Instant eventTime;
    private Instant ingestTime;
    private Map<String, String> headers = Map.of();
    private @Nullable String source;
    private @Nullable Position position;
    private byte @Nullable [] raw;
    private @Nullable Throwable failure;

    private Builder(@Nullable T value) {
      this.value = value;
    }

    /** The ordering key (default: none). */
    public Builder<T> key(@Nullable Object key) {
      this.key = key;
      return this;
    }

    /** The event time (default: unknown). */
    public Builder<T> eventTime(@Nullable Instant eventTime) {
      this.eventTime = eventTime;
      return this;
    }

    /** The ingest time (default: when {@link #build()} is called). */
    public Builder<T> ingestTime(Instant ingestTime) {
      this.ingestTime = ingestTime;
      return this;
    }

    /** Headers (default: none). The map is kept, not copied. */
    public Builder<T> headers(Map<String, String> headers) {
      this.headers = headers;
      return this;
    }

    /** The source's name (default: none). */
    public Builder<T> source(@Nullable String source) {
      this.source = source;
      return this;
    }

    /** The position in the source (default: none). */
    public Builder<T> position(@Nullable Position position) {
      this.position = position;
      return this;
    }

    /** The raw bytes the value came from (default: none). The array is kept, not copied. */
    public Builder<T> raw(byte @Nullable [] raw) {
      this.raw = raw;
      return this;
    }

    /** Marks the record as unreadable: it goes to the dead letters with this failure. */
    public Builder<T> failure(@Nullable Throwable failure) {
      this.failure = failure;
      return this;
    }

    /** The envelope. */
    public Envelope<T> build() {
      return new Envelope<>(
          value,
          key,
          eventTime,
          ingestTime == null ? Instant.now() : ingestTime,
          headers,
          source,
          position,
          raw,
          failure);
    }
  }
}
