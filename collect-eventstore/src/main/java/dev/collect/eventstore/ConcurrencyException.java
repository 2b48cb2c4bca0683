package dev.collect.eventstore;

import org.jspecify.annotations.Nullable;

/**
 * An append whose expected version did not match the stream: another writer appended first. Read
 * the stream again, decide again, and retry with the new version.
 */
public class ConcurrencyException extends EventStoreException {
  private static final long serialVersionUID = 1L;
  private final @Nullable String streamId;
  private final long actualVersion;

  public ConcurrencyException(
      @Nullable String streamId, ExpectedVersion expected, long actualVersion) {
    super(
        "stream '"
            + streamId
            + "' expected version "
            + expected
            + " but its last version is "
            + (actualVersion < 0 ? "none (no stream)" : Long.toString(actualVersion))
            + ": re-read the stream and retry");
    this.streamId = streamId;
    this.actualVersion = actualVersion;
  }

  public ConcurrencyException(String message) {
    super(message);
    this.streamId = null;
    this.actualVersion = -1;
  }

  /** The stream, or null. */
  public @Nullable String streamId() {
    return streamId;
  }

  /** The stream's last version when the append was refused, -1 for no stream. */
  public long actualVersion() {
    return actualVersion;
  }
}
