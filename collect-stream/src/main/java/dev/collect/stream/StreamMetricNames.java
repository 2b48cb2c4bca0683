package dev.collect.stream;

/**
 * The meters collect-stream's sources and collectors register in the pipeline's registry, beside
 * core's {@code collect.*} meters ({@link dev.collect.core.MetricNames}). Every meter carries the
 * {@code pipeline} tag; source meters also carry {@code source}.
 */
public final class StreamMetricNames {
  private StreamMetricNames() {}

  /** Counter: records dropped by de-duplication as repeats of an id seen within the TTL. */
  public static final String DUPLICATES = "collect.stream.duplicates";

  /** Counter: ids de-duplication forgot before their TTL because its bound was reached. */
  public static final String DEDUP_EVICTED = "collect.stream.dedup.evicted";

  /** Counter: records too late for every window they belong to. */
  public static final String LATE = "collect.stream.late";

  /**
   * Counter: windows closed before their end because {@link Windowing#maxOpenWindows} was reached
   * (logged once per collector, then only counted).
   */
  public static final String WINDOWS_CLOSED_EARLY = "collect.stream.windows.closed.early";

  /** Counter: HTTP responses of the webhook source. Extra tag: {@code status}. */
  public static final String WEBHOOK_RESPONSES = "collect.webhook.responses";

  /** Counter: MQTT messages missing from their publisher's numbering (dropped upstream). */
  public static final String MQTT_MESSAGES_LOST = "collect.mqtt.messages.lost";
}
