package dev.collect.eventstore;

/**
 * The log is damaged: a record failed its checksum or framing check somewhere other than a torn
 * tail, a segment is shorter than its committed size, or a segment or header is missing. The store
 * refuses to open rather than show a shorter log. Restore the files from a backup, or open once
 * with {@link FileEventStoreConfig#repair()} to cut the log before the damage.
 */
public class CorruptLogException extends EventStoreException {
  private static final long serialVersionUID = 1L;

  public CorruptLogException(String message) {
    super(message);
  }
}
