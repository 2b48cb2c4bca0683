package dev.collect.cdc;

/**
 * The meters a {@link CdcSource} registers in the pipeline's registry, beside core's {@code
 * collect.*} meters. Every meter carries the tags {@code pipeline} and {@code source}.
 */
public final class CdcMetricNames {
  private CdcMetricNames() {}

  /** Counter: change events captured. Extra tags: {@code operation}, {@code table}. */
  public static final String EVENTS = "collect.cdc.events";

  /**
   * Timer: capture lag, the time from the transaction's commit in the database to the event
   * entering the pipeline. Not recorded for snapshot reads.
   */
  public static final String CAPTURE_LAG = "collect.cdc.capture.lag";

  /** Counter: rows read by the snapshot. Extra tag: {@code table}. */
  public static final String SNAPSHOT_ROWS = "collect.cdc.snapshot.rows";

  /** Gauge: 1 while a snapshot is being read, else 0. */
  public static final String SNAPSHOT_RUNNING = "collect.cdc.snapshot.running";

  /**
   * Gauge (PostgreSQL): bytes of WAL the replication slot retains, from its confirmed flush LSN to
   * the server's current LSN; refreshed every {@link CdcSourceConfig#slotLagInterval()}; -1 when
   * unknown.
   */
  public static final String SLOT_LAG = "collect.cdc.slot.lag";

  /** Gauge: change events captured but not yet handed to the pipeline. */
  public static final String BUFFERED = "collect.cdc.buffered";

  public static final String TAG_OPERATION = "operation";
  public static final String TAG_TABLE = "table";
}
