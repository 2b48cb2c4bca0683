package dev.collect.cdc.internal;

import dev.collect.cdc.ChangeEvent;
import dev.collect.core.Envelope;
import io.debezium.engine.DebeziumEngine.RecordCommitter;
import io.debezium.engine.RecordChangeEvent;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * One entry between the engine and the pipeline: the engine's record (null for events Collect
 * derives, such as PostgreSQL schema changes), the offset to commit when it is settled (null for
 * the record's own; see {@link DebeziumCdcSource}: MySQL/MariaDB offsets inside a transaction), the
 * envelope handed to the pipeline (null for records the pipeline never sees, such as heartbeats)
 * and the committer that settles the record.
 */
record Item(
    long sequence,
    RecordChangeEvent<SourceRecord> record,
    Map<String, Object> resumeAt,
    Envelope<ChangeEvent> envelope,
    RecordCommitter<RecordChangeEvent<SourceRecord>> committer) {}
