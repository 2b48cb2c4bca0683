package dev.collect.cdc;

import java.util.Locale;

/** When the source reads the tables' existing rows before streaming changes. */
public enum SnapshotMode {
  /** On the first start (no stored offset), snapshot the tables, then stream. The default. */
  INITIAL,
  /** Snapshot the tables, then stop; no streaming. */
  INITIAL_ONLY,
  /** Capture only the schema, never existing rows; stream from now on. */
  NO_DATA,
  /** Snapshot when there is no stored offset or the stored one is no longer in the log. */
  WHEN_NEEDED,
  /** Never snapshot; stream from the stored offset or from now on. */
  NEVER,
  /** Snapshot on every start, then stream. */
  ALWAYS;

  /** Debezium's {@code snapshot.mode} value. */
  public String debeziumValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
