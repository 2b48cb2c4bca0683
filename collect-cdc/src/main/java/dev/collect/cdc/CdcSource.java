package dev.collect.cdc;

import dev.collect.core.Source;

/**
 * A change data capture {@link Source}: runs a Debezium embedded engine for PostgreSQL (pgoutput)
 * or MySQL/MariaDB (binlog) and yields {@link ChangeEvent}s with {@link CdcPosition}s.
 *
 * <p><b>Delivery.</b> At-least-once. The engine is told a record is processed, and Debezium's
 * offsets are flushed (into the pipeline's {@link dev.collect.core.CheckpointStore} under {@link
 * CdcSourceConfig#checkpointKey()}) and acknowledged to the database (PostgreSQL's slot confirmed
 * LSN), only when the pipeline commits a position at or after it, i.e. once the record and
 * everything before it was written, dead-lettered or filtered and the sinks were flushed. A crash
 * therefore replays only the unsettled tail; heartbeats are settled as soon as everything before
 * them is.
 *
 * <p><b>Order.</b> Events come in the database's commit order; the envelope key is the table (or
 * the table and row key, see {@link CdcSourceConfig.Ordering}), so the pipeline keeps that order
 * per table (per row) with any number of workers.
 *
 * <p><b>Backpressure.</b> At most {@link CdcSourceConfig#bufferRecords()} events wait between the
 * engine and the pipeline; beyond that the engine blocks. Nothing is dropped.
 *
 * <p><b>Operations.</b> A PostgreSQL replication slot retains WAL until the source confirms it: a
 * collector that is down, or stuck, makes the server keep WAL without limit and can fill its disk.
 * Watch {@link CdcMetricNames#SLOT_LAG}, set {@code max_slot_wal_keep_size} on the server, and drop
 * the slot ({@link CdcSourceConfig.Builder#dropSlotOnStop(boolean)}) when retiring a collector.
 *
 * <p>Like every source, it is used from the pipeline's reader thread only. Built by {@link
 * Cdc#source(CdcSourceConfig)}.
 */
public interface CdcSource extends Source<ChangeEvent> {}
