package dev.collect.cdc;

import dev.collect.core.Envelope;
import dev.collect.core.contract.SourceContract;
import java.time.Duration;

/**
 * The source contract for {@link CdcSource} on any database: a record is one inserted row whose
 * {@code id} column holds the contract's id, inserted after the source opened (streamed changes,
 * not a snapshot); schema changes carry no record.
 */
abstract class CdcSourceContract extends SourceContract<ChangeEvent> {

  @Override
  protected boolean inputArrivesAfterOpen() {
    return true;
  }

  @Override
  protected String idOf(Envelope<ChangeEvent> envelope) {
    ChangeEvent change = envelope.value();
    return change.after() != null
        ? String.valueOf(change.after().get("id"))
        : change.operation() + " on " + change.table(); // not an insert: fails the exact checks
  }

  @Override
  protected boolean carriesRecord(Envelope<ChangeEvent> envelope) {
    return envelope.value().operation() != Operation.SCHEMA_CHANGE;
  }

  @Override
  protected boolean isBounded() {
    return false;
  }

  @Override
  protected Duration quietPeriod() {
    return Duration.ofSeconds(2); // longer than the heartbeat and poll intervals
  }
}
