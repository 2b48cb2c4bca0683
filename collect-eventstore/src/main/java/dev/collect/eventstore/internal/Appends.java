package dev.collect.eventstore.internal;

import dev.collect.core.spi.Checks;
import dev.collect.eventstore.AppendResult;
import dev.collect.eventstore.ConcurrencyException;
import dev.collect.eventstore.EventData;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks shared by every backend, so they agree on what an append may be. */
final class Appends {
  static final int MAX_STREAM_ID_LENGTH = 200;

  private Appends() {}

  /** Where an already stored event id lives. */
  record StoredId(String streamId, long streamVersion, long position) {}

  /** Looks an event id up. */
  interface IdLookup {
    StoredId find(String eventId);
  }

  static void validate(String streamId, List<EventData> events, int maxEventBytes) {
    Checks.length("streamId", streamId, 1, MAX_STREAM_ID_LENGTH);
    text("streamId", streamId);
    if (events == null || events.isEmpty()) {
      throw new IllegalArgumentException("an append needs at least one event, but got none");
    }
    // sized for the batch: a default-sized set grew four times for a batch of 100
    Set<String> ids = events.size() == 1 ? null : new HashSet<>(events.size() * 2);
    for (EventData e : events) {
      if (e == null) {
        throw new IllegalArgumentException("events must not contain null");
      }
      if (e.data().length > maxEventBytes) {
        throw new IllegalArgumentException(
            "event "
                + e.eventId()
                + " has "
                + e.data().length
                + " bytes of data, more than maxEventBytes "
                + maxEventBytes);
      }
      text("eventId", e.eventId());
      text("type", e.type());
      text("correlationId", e.correlationId());
      text("causationId", e.causationId());
      if (ids != null && !ids.add(e.eventId())) {
        throw new IllegalArgumentException("event id " + e.eventId() + " appears twice");
      }
    }
  }

  /**
   * Rejects text that would not survive a round trip through every backend: unpaired surrogates
   * (not encodable as UTF-8) and NUL characters (PostgreSQL text cannot hold them).
   */
  private static void text(String name, String value) {
    if (value == null) {
      return;
    }
    if (!wellFormed(value)) {
      throw new IllegalArgumentException(
          name + " must be well-formed text without NUL characters, but was not");
    }
  }

  /**
   * Whether {@code value} has no NUL (PostgreSQL text cannot hold it) and no lone surrogate (UTF-8
   * cannot encode it). One pass without allocation: {@code CharsetEncoder.canEncode} builds an
   * encoder and an output buffer per call, four calls per event, which was half an appender's CPU
   * per event.
   */
  static boolean wellFormed(String value) {
    int n = value.length();
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c == 0) {
        return false;
      }
      if (Character.isSurrogate(c)) {
        if (!Character.isHighSurrogate(c)
            || i + 1 == n
            || !Character.isLowSurrogate(value.charAt(i + 1))) {
          return false;
        }
        i++;
      }
    }
    return true;
  }

  /**
   * The result of the earlier append when every id is already stored at consecutive versions of
   * this stream, null when no id is stored.
   *
   * @throws ConcurrencyException when only some ids, or ids of another stream, are stored
   */
  static AppendResult duplicateOf(String streamId, List<EventData> events, IdLookup lookup) {
    StoredId first = lookup.find(events.get(0).eventId());
    if (first == null) {
      for (int i = 1; i < events.size(); i++) {
        if (lookup.find(events.get(i).eventId()) != null) {
          throw partial(streamId, events.get(i).eventId());
        }
      }
      return null;
    }
    for (int i = 0; i < events.size(); i++) {
      StoredId s = i == 0 ? first : lookup.find(events.get(i).eventId());
      if (s == null
          || !s.streamId().equals(streamId)
          || s.streamVersion() != first.streamVersion() + i) {
        throw partial(streamId, events.get(i).eventId());
      }
    }
    return new AppendResult(
        streamId,
        first.streamVersion(),
        first.streamVersion() + events.size() - 1,
        first.position(),
        true);
  }

  private static ConcurrencyException partial(String streamId, String eventId) {
    return new ConcurrencyException(
        "append to stream '"
            + streamId
            + "' repeats only some already stored event ids (first mismatch at "
            + eventId
            + "), or ids of another stream: retry with exactly the events of the earlier append");
  }

  /** The store's time resolution, microseconds, which PostgreSQL keeps exactly. */
  static Instant micros(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS);
  }

  static long toMicros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }

  static Instant ofMicros(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
  }
}
