package dev.collect.cdc.internal;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.DebeziumEngine.RecordCommitter;
import io.debezium.engine.RecordChangeEvent;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * How to tell the engine that records of one of its batches are processed: the batch's committer,
 * and one record of the batch that carries any record's offset to it. The engine keeps the latest
 * offset it is told per source partition (one per connector task here), so marking the last settled
 * record of a batch is what marking each of them in turn ends with; and the other records of the
 * batch need not be kept until the commit.
 */
record EngineBatchCommit(
    RecordCommitter<RecordChangeEvent<SourceRecord>> committer,
    RecordChangeEvent<SourceRecord> carrier) {

  /** Marks the batch processed up to the record whose offset this is. */
  void markProcessed(Map<String, ?> offset) throws InterruptedException {
    DebeziumEngine.Offsets offsets = committer.buildOffsets();
    offset.forEach(offsets::set);
    committer.markProcessed(carrier, offsets);
  }
}
