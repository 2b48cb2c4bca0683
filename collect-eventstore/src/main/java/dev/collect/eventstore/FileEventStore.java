package dev.collect.eventstore;

/**
 * The embedded file backend ({@link EventStore#file}): an {@link EventStore} that also says what
 * its open cut from the log.
 */
public interface FileEventStore extends EventStore {

  /**
   * Counter: cuts an open made (see {@link RecoveryReport.Kind}). Tags: {@code store} (the
   * directory's name), {@code reason} (the kind, lowercase).
   */
  String RECOVERY_CUTS = "collect.eventstore.recovery.cuts";

  /** Counter: bytes an open cut or found missing, where known. Tags as {@link #RECOVERY_CUTS}. */
  String RECOVERY_CUT_BYTES = "collect.eventstore.recovery.cut.bytes";

  /** Counter: events an open cut or found missing, where known. Tags as {@link #RECOVERY_CUTS}. */
  String RECOVERY_CUT_EVENTS = "collect.eventstore.recovery.cut.events";

  /** What this store's open cut or, with repair, accepted as lost; never null. */
  RecoveryReport recoveryReport();
}
