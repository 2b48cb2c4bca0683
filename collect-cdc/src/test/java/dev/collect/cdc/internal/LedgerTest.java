package dev.collect.cdc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.cdc.ChangeEvent;
import dev.collect.core.Envelope;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class LedgerTest {

  /** Records the offsets the engine is told are processed; stands in for its committer. */
  static final class RecordingCommitter
      implements DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> {
    final List<Object> processed = new ArrayList<>();

    @Override
    public void markProcessed(RecordChangeEvent<SourceRecord> record) {
      throw new AssertionError("the ledger passes the offset explicitly");
    }

    @Override
    public void markBatchFinished() {}

    @Override
    public void markProcessed(
        RecordChangeEvent<SourceRecord> record, DebeziumEngine.Offsets sourceOffsets) {
      processed.add(((MapOffsets) sourceOffsets).values.get("seq"));
    }

    @Override
    public DebeziumEngine.Offsets buildOffsets() {
      return new MapOffsets();
    }
  }

  static final class MapOffsets implements DebeziumEngine.Offsets {
    final Map<String, Object> values = new HashMap<>();

    @Override
    public void set(String key, Object value) {
      values.put(key, value);
    }
  }

  private final RecordingCommitter committer = new RecordingCommitter();
  private final EngineBatchCommit batch = batch(committer);
  private final Envelope<ChangeEvent> delivered = Envelope.of(null);

  private static EngineBatchCommit batch(RecordingCommitter committer) {
    SourceRecord r = new SourceRecord(Map.of(), Map.of(), "carrier", null, null, null, null, null);
    return new EngineBatchCommit(committer, () -> r);
  }

  private Item data(long seq) {
    return new Item(seq, Map.of("seq", "r" + seq), batch, delivered);
  }

  private Item heartbeat(long seq) {
    return new Item(seq, Map.of("seq", "hb" + seq), batch, null);
  }

  @Test
  void settlesOnlyUpToTheCommittedSequenceAndTellsTheEngineTheLastOffset() throws Exception {
    Ledger ledger = new Ledger();
    ledger.add(data(1));
    ledger.add(data(2));
    ledger.add(data(3));

    int settled = ledger.settleThrough(2);

    assertThat(settled).isEqualTo(2);
    assertThat(committer.processed).containsExactly("r2");
    assertThat(ledger.size()).isEqualTo(1);
  }

  @Test
  void marksTheLastSettledOffsetOfEachEngineBatch() throws Exception {
    RecordingCommitter second = new RecordingCommitter();
    EngineBatchCommit next = batch(second);
    Ledger ledger = new Ledger();
    ledger.add(data(1));
    ledger.add(data(2));
    ledger.add(new Item(3, Map.of("seq", "r3"), next, delivered));
    ledger.add(new Item(4, Map.of("seq", "r4"), next, delivered));

    assertThat(ledger.settleThrough(4)).isEqualTo(4);

    assertThat(committer.processed).containsExactly("r2");
    assertThat(second.processed).containsExactly("r4");
    assertThat(ledger.committer()).isSameAs(second);
  }

  @Test
  void heartbeatsAreSettledOnlyOnceEverythingBeforeThemIs() throws Exception {
    Ledger ledger = new Ledger();
    ledger.add(data(1));
    ledger.add(heartbeat(2));
    ledger.add(data(3));
    ledger.add(heartbeat(4));

    assertThat(ledger.settleLeadingInternal()).isZero();
    assertThat(committer.processed).isEmpty();
    ledger.settleThrough(1);
    ledger.settleLeadingInternal();

    assertThat(committer.processed).containsExactly("r1", "hb2");
    assertThat(ledger.size()).isEqualTo(2);
  }

  @Test
  void derivedEventsAndMidTransactionRecordsAreNeverMarked() throws Exception {
    Ledger ledger = new Ledger();
    ledger.add(new Item(1, null, batch, delivered));
    ledger.add(data(2));
    ledger.add(new Item(3, null, batch, delivered));

    assertThat(ledger.settleThrough(3)).isEqualTo(1);
    assertThat(committer.processed).containsExactly("r2");
    assertThat(ledger.committer()).isSameAs(committer);
  }

  @Test
  void anItemHandsItsEnvelopeOutOnceAndKeepsWhetherItHadOne() {
    Item item = data(1);

    assertThat(item.takeEnvelope()).isSameAs(delivered);
    assertThat(item.takeEnvelope()).isNull();
    assertThat(item.visible()).isTrue();
    assertThat(heartbeat(2).visible()).isFalse();
  }
}
