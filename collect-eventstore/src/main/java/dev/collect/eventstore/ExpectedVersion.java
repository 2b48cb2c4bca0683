package dev.collect.eventstore;

import dev.collect.core.spi.Checks;

/**
 * What the appender believes about a stream before appending: {@link #any()} (no check), {@link
 * #noStream()} (the stream has no event yet) or {@link #exactly(long)} (the stream's last event has
 * this version). One vocabulary with {@link EventStore#streamVersion}: versions start at 0, and a
 * stream without events has version {@value #NO_STREAM}, so {@code exactly(-1)} is {@code
 * noStream()} and {@code exactly(store.streamVersion(id))} always expresses "nothing was appended
 * since I looked". A mismatch raises {@link ConcurrencyException}. Immutable.
 */
public final class ExpectedVersion {
  /** The version of a stream without events, as {@link EventStore#streamVersion} returns it. */
  public static final long NO_STREAM = -1;

  private static final long ANY = -2;
  private static final ExpectedVersion ANY_VERSION = new ExpectedVersion(ANY);
  private static final ExpectedVersion NO_STREAM_VERSION = new ExpectedVersion(NO_STREAM);

  private final long value;

  private ExpectedVersion(long value) {
    this.value = value;
  }

  /** Appends whatever the stream's state. */
  public static ExpectedVersion any() {
    return ANY_VERSION;
  }

  /** Appends only if the stream has no event yet. */
  public static ExpectedVersion noStream() {
    return NO_STREAM_VERSION;
  }

  /**
   * Appends only if the stream's last event has version {@code version} (0-based), or, for {@value
   * #NO_STREAM}, if the stream has no event (the same as {@link #noStream()}).
   */
  public static ExpectedVersion exactly(long version) {
    Checks.atLeast("version", version, NO_STREAM);
    return version == NO_STREAM ? NO_STREAM_VERSION : new ExpectedVersion(version);
  }

  /** True for {@link #any()}. */
  public boolean isAny() {
    return value == ANY;
  }

  /**
   * This as one number: -2 for {@link #any()}, {@value #NO_STREAM} for {@link #noStream()}, else
   * the version.
   */
  public long toLong() {
    return value;
  }

  /**
   * True when a stream whose last version is {@code current} ({@value #NO_STREAM} when it has no
   * event) matches.
   */
  public boolean matches(long current) {
    return value == ANY || value == current;
  }

  /** Throws {@link ConcurrencyException} unless {@link #matches(long)}. */
  public void check(String streamId, long current) {
    if (!matches(current)) {
      throw new ConcurrencyException(streamId, this, current);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExpectedVersion other && other.value == value;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(value);
  }

  @Override
  public String toString() {
    return value == ANY ? "any" : value == NO_STREAM ? "no stream" : Long.toString(value);
  }
}
