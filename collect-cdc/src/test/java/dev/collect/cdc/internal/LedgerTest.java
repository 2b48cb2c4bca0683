package dev.collect.cdc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.cdc.ChangeEvent;
import dev.collect.core.Envelope;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class LedgerTest {

  /** Records what the engine is told; stands in for the engine's committer. */
  static final class RecordingCommitter
      implements DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> {
    final List<String> processed = new ArrayList<>();

    @Override
    public void markProcessed(RecordChangeEvent<SourceRecord> record) {
      processed.add(record.record().topic());
    }

    @Override
    public void markBatchFinished() {}

    @Override
    public void markProcessed(
        RecordChangeEvent<SourceRecord> record, DebeziumEngine.Offsets sourceOffsets) {
      markProcessed(record);
    }

    @Override
    public DebeziumEngine.Offsets buildOffsets() {
      return null;
    }
  }

  private final RecordingCommitter committer = new RecordingCommitter();
  private final Envelope<ChangeEvent> delivered = Envelope.of(null);

  private static RecordChangeEvent<SourceRecord> record(String name) {
    SourceRecord r = new SourceRecord(Map.of(), Map.of(), name, null, null, null, null, null);
    return () -> r;
  }

  private Item data(long seq) {
    return new Item(seq, record("r" + seq), null, delivered, committer);
  }

  private Item heartbeat(long seq) {
    return new Item(seq, record("hb" + seq), null, null, committer);
  }

  @Test
  void settlesInOrderOnlyUpToTheCommittedSequence() throws Exception {
    Ledger ledger = new Ledger();
    ledger.add(data(1));
    ledger.add(data(2));
    ledger.add(data(3));

    int settled = ledger.settleThrough(2);

    assertThat(settled).isEqualTo(2);
    assertThat(committer.processed).containsExactly("r1", "r2");
    assertThat(ledger.size()).isEqualTo(1);
  }

  @Test
  void heartbeatsAreSettledOnlyOnceEverythingBeforeThemIs() throws Exception {
    Ledger ledger = new Ledger();
    ledger.add(data(1));
    ledger.add(heartbeat(2));
    ledger.add(data(3));
    ledger.add(heartbeat(4));

    assertThat(ledger.settleLeadingInternal()).isZero();
    ledger.settleThrough(1);
    ledger.settleLeadingInternal();

    assertThat(committer.processed).containsExactly("r1", "hb2");
    assertThat(ledger.size()).isEqualTo(2);
  }

  @Test
  void derivedEventsAndMidTransactionRecordsAreNeverMarked() throws Exception {
    Ledger ledger = new Ledger();
    ledger.add(new Item(1, null, null, delivered, null));
    ledger.add(data(2));

    assertThat(ledger.settleThrough(2)).isEqualTo(1);
    assertThat(committer.processed).containsExactly("r2");
    assertThat(ledger.committer()).isSameAs(committer);
  }
}
