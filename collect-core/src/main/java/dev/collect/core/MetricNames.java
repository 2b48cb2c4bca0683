package dev.collect.core;

/**
 * The names and tag keys of Collect's meters, in one place. Names are lowercase, dot-separated, in
 * base units (seconds, bytes); every meter carries {@link #TAG_PIPELINE}.
 */
public final class MetricNames {
  private MetricNames() {}

  /** Counter: records that entered the pipeline. Tags: pipeline, source. */
  public static final String RECORDS_RECEIVED = "collect.records.received";

  /** Counter: records every sink accepted. Tags: pipeline. */
  public static final String RECORDS_WRITTEN = "collect.records.written";

  /** Counter: records sent to the dead-letter sink. Tags: pipeline, stage, reason. */
  public static final String RECORDS_DEAD_LETTERED = "collect.records.dead.lettered";

  /** Counter: records filtered on purpose. Tags: pipeline. */
  public static final String RECORDS_FILTERED = "collect.records.filtered";

  /** Counter: retry attempts. Tags: pipeline, stage. */
  public static final String RECORDS_RETRIED = "collect.records.retried";

  /**
   * Timer: time a worker spends on one input batch in its steps, or on one sink write. Tags:
   * pipeline, stage.
   */
  public static final String STAGE_LATENCY = "collect.stage.latency";

  /** Timer: ingest to written, of the oldest record of each sink batch. Tags: pipeline. */
  public static final String END_TO_END_LATENCY = "collect.end.to.end.latency";

  /** Distribution: records per sink batch. Tags: pipeline, sink. */
  public static final String BATCH_SIZE = "collect.batch.size";

  /** Gauge: records waiting in the workers' queues. Tags: pipeline. */
  public static final String BUFFER_FILL = "collect.buffer.fill";

  /** Gauge: the data-quality score, valid / validated. Tags: pipeline. */
  public static final String QUALITY_SCORE = "collect.quality.score";

  /** Counter: unknown fields seen while parsing (schema drift). Tags: pipeline, type, field. */
  public static final String SCHEMA_DRIFT = "collect.schema.drift";

  /**
   * Gauge: how far the source's reading is behind its newest record, where a source knows it. Tags:
   * pipeline, source.
   */
  public static final String SOURCE_LAG = "collect.source.lag";

  public static final String TAG_PIPELINE = "pipeline";
  public static final String TAG_STAGE = "stage";
  public static final String TAG_SOURCE = "source";
  public static final String TAG_SINK = "sink";
  public static final String TAG_REASON = "reason";
  public static final String TAG_TYPE = "type";
  public static final String TAG_FIELD = "field";
}
