package dev.collect.cdc.internal;

import dev.collect.cdc.ChangeEvent;
import dev.collect.core.Envelope;
import java.util.Map;

/**
 * One entry between the engine and the pipeline, in engine order: the offset to commit when it is
 * settled (null for events Collect derives, such as PostgreSQL schema changes, and for
 * MySQL/MariaDB rows inside a binlog event, which cannot be resumed from), the batch it came in,
 * and the envelope for the pipeline (null for records the pipeline never sees, such as heartbeats).
 *
 * <p>The envelope is handed out once ({@link #takeEnvelope}) and then dropped, so that an item
 * waiting in the {@link Ledger} for its commit holds only its offset: the engine's record and the
 * change event die young instead of being copied by every collection until the next commit.
 */
final class Item {
  final long sequence;

  /** Set later only by {@link #resolveOffset}; reader thread only, like the ledger. */
  Map<String, ?> offset;

  final EngineBatchCommit batch;
  private final boolean visible;
  private Envelope<ChangeEvent> envelope;

  Item(
      long sequence,
      Map<String, ?> offset,
      EngineBatchCommit batch,
      Envelope<ChangeEvent> envelope) {
    this.sequence = sequence;
    this.offset = offset;
    this.batch = batch;
    this.envelope = envelope;
    this.visible = envelope != null;
  }

  /**
   * Gives an item created without an offset (a MySQL/MariaDB row whose event end was not known yet)
   * the offset to resume after it; no effect once the ledger settled it.
   */
  void resolveOffset(Map<String, ?> resumeAt) {
    if (offset == null) {
      offset = resumeAt;
    }
  }

  /** Whether the pipeline sees this item (it has an envelope). */
  boolean visible() {
    return visible;
  }

  /** The envelope for the pipeline, or null; the item forgets it. */
  Envelope<ChangeEvent> takeEnvelope() {
    Envelope<ChangeEvent> e = envelope;
    envelope = null;
    return e;
  }
}
