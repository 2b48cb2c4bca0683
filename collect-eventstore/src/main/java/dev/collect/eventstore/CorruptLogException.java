package dev.collect.eventstore;

/**
 * A record in the log failed its checksum or framing check somewhere other than a torn tail: the
 * store refuses to skip it. Restore the segment from a backup or truncate it by hand.
 */
public class CorruptLogException extends EventStoreException {
  private static final long serialVersionUID = 1L;

  public CorruptLogException(String message) {
    super(message);
  }
}
