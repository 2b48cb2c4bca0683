package dev.collect.cdc;

import dev.collect.cdc.internal.DebeziumCdcSource;

/**
 * Change data capture through the Debezium embedded engine: PostgreSQL (pgoutput) and MySQL/MariaDB
 * (binlog). The entry point of this module, shaped like every Collect connector: a static factory
 * taking one immutable, validated configuration. What the source guarantees (delivery, order,
 * backpressure) is on {@link CdcSource}.
 */
public final class Cdc {
  private Cdc() {}

  /**
   * A source for {@code config}; nothing connects before the pipeline opens it. Each source owns
   * its engine: build one per pipeline.
   */
  public static CdcSource source(CdcSourceConfig config) {
    return new DebeziumCdcSource(config);
  }
}
