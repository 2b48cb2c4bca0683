package dev.collect.cdc;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Where in the database's log a change comes from. Fields that do not apply to a database are null:
 * {@code lsn} for PostgreSQL, {@code binlogFile}/{@code binlogPosition}/{@code gtid} for
 * MySQL/MariaDB.
 *
 * @param connector {@code postgresql} or {@code mysql}
 * @param name the source's logical name (Debezium's topic prefix)
 * @param lsn PostgreSQL log sequence number of the change, or null
 * @param binlogFile MySQL/MariaDB binlog file, or null
 * @param binlogPosition position in the binlog file, or null
 * @param gtid the global transaction id, where the server uses them, or null
 * @param transactionId the database transaction id, or null (snapshot reads, schema changes)
 * @param commitTime when the transaction committed (for snapshot reads: when the row was read)
 * @param snapshot whether the event belongs to a snapshot
 */
public record SourceInfo(
    String connector,
    String name,
    @Nullable Long lsn,
    @Nullable String binlogFile,
    @Nullable Long binlogPosition,
    @Nullable String gtid,
    @Nullable String transactionId,
    Instant commitTime,
    boolean snapshot) {}
