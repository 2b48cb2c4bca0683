package dev.collect.eventstore.internal;

import dev.collect.eventstore.EventData;
import dev.collect.eventstore.RecordedEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The on-disk form of one append (a batch of events of one stream), so an append is atomic: it is
 * one record with one checksum.
 *
 * <pre>
 * record = length:int32  crc32c:int32  body[length]      (crc over the length bytes and the body)
 * body   = firstPosition:int64 recordedAtMicros:int64 streamId:str firstVersion:int64 count:int32
 *          event*
 * event  = eventId:str type:str schemaVersion:int32 occurredSeconds:int64 occurredNanos:int32
 *          correlationId:str causationId:str dataLength:int32 data
 * str    = length:int32 (-1 for null) utf8
 * </pre>
 */
final class RecordCodec {
  static final int HEADER = 8;

  /** The smallest body: the fixed fields and an empty stream id. */
  static final int MIN_BODY = 8 + 8 + 4 + 8 + 4;

  private RecordCodec() {}

  /** An upper bound of the encoded size of an append. */
  static long sizeBound(String streamId, List<EventData> events) {
    long size = HEADER + MIN_BODY + utf8Bound(streamId);
    for (EventData e : events) {
      size +=
          4 * 4
              + 4
              + 8
              + 4
              + 4
              + utf8Bound(e.eventId())
              + utf8Bound(e.type())
              + utf8Bound(e.correlationId())
              + utf8Bound(e.causationId())
              + e.data().length;
    }
    return size;
  }

  private static int utf8Bound(String s) {
    return s == null ? 0 : s.length() * 3;
  }

  /**
   * One append encoded by its appender's thread, before the writer knows its position, time and
   * version: those fields are zero and the checksum is not set until {@link #seal}.
   */
  record Draft(ByteBuffer bytes, int versionOffset, long[] idHashes) {
    int length() {
      return bytes.remaining();
    }
  }

  /** Encodes an append as a {@link Draft}: exactly its bytes, in a buffer of its own. */
  static Draft draft(String streamId, List<EventData> events) {
    byte[] stream = streamId.getBytes(StandardCharsets.UTF_8);
    int n = events.size();
    byte[][] strings = new byte[n * 4][];
    long[] hashes = new long[n];
    int size = HEADER + MIN_BODY + stream.length;
    for (int i = 0; i < n; i++) {
      EventData e = events.get(i);
      strings[4 * i] = utf8(e.eventId());
      strings[4 * i + 1] = utf8(e.type());
      strings[4 * i + 2] = utf8(e.correlationId());
      strings[4 * i + 3] = utf8(e.causationId());
      hashes[i] = EventIdIndex.hash(e.eventId());
      size += 4 * 4 + 4 + 8 + 4 + 4 + e.data().length;
      for (int k = 0; k < 4; k++) {
        byte[] str = strings[4 * i + k];
        size += str == null ? 0 : str.length;
      }
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.putInt(size - HEADER).putInt(0); // length; checksum set by seal
    out.putLong(0).putLong(0); // first position, recorded time: set by seal
    put(out, stream);
    int versionOffset = out.position();
    out.putLong(0).putInt(n); // first version: set by seal
    for (int i = 0; i < n; i++) {
      EventData e = events.get(i);
      put(out, strings[4 * i]);
      put(out, strings[4 * i + 1]);
      out.putInt(e.schemaVersion());
      out.putLong(e.occurredAt().getEpochSecond()).putInt(e.occurredAt().getNano());
      put(out, strings[4 * i + 2]);
      put(out, strings[4 * i + 3]);
      out.putInt(e.data().length).put(e.data());
    }
    return new Draft(out.flip(), versionOffset, hashes);
  }

  /**
   * Copies a draft to the buffer's position (the only copy of its bytes the writer makes) with its
   * position, time and version, and sets its checksum.
   */
  static void seal(
      ByteBuffer out, Draft draft, long firstPosition, long recordedAtMicros, long firstVersion) {
    int start = out.position();
    out.put(draft.bytes().duplicate());
    out.putLong(start + HEADER, firstPosition);
    out.putLong(start + HEADER + 8, recordedAtMicros);
    out.putLong(start + draft.versionOffset(), firstVersion);
    out.putInt(start + 4, crc(out, start, draft.length() - HEADER));
  }

  private static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  private static void put(ByteBuffer out, byte[] s) {
    if (s == null) {
      out.putInt(-1);
    } else {
      out.putInt(s.length).put(s);
    }
  }

  /** The CRC32C of the length field and the body of the record at {@code start}. */
  static int crc(ByteBuffer buf, int start, int length) {
    CRC32C crc = new CRC32C();
    ByteBuffer view = buf.duplicate();
    view.limit(start + 4).position(start);
    crc.update(view);
    view.limit(start + HEADER + length).position(start + HEADER);
    crc.update(view);
    return (int) crc.getValue();
  }

  /** Reads a record's fixed fields without its events. */
  record Head(
      long firstPosition,
      long recordedAtMicros,
      java.time.Instant recordedAt,
      String streamId,
      long firstVersion,
      int count) {}

  static Head head(ByteBuffer body) {
    return head(body, null);
  }

  /** {@link #head(ByteBuffer)}, reusing {@code knownStream} when the record has the same one. */
  static Head head(ByteBuffer body, String knownStream) {
    long firstPosition = body.getLong();
    long recorded = body.getLong();
    String stream = knownStream == null ? getString(body) : sameOrNew(body, knownStream);
    long firstVersion = body.getLong();
    int count = body.getInt();
    return new Head(
        firstPosition, recorded, Appends.ofMicros(recorded), stream, firstVersion, count);
  }

  /** Decodes the next event of a record whose head was read; {@code index} counts from 0. */
  static RecordedEvent event(ByteBuffer body, Head head, int index, RecordedEvent previous) {
    String eventId = getString(body);
    String type = previous == null ? getString(body) : sameOrNew(body, previous.type());
    int schemaVersion = body.getInt();
    long seconds = body.getLong();
    int nanos = body.getInt();
    // Events appended together often share their time: one Instant for them.
    Instant occurred =
        previous != null
                && previous.occurredAt().getEpochSecond() == seconds
                && previous.occurredAt().getNano() == nanos
            ? previous.occurredAt()
            : Instant.ofEpochSecond(seconds, nanos);
    String correlation = getString(body);
    String causation = getString(body);
    byte[] data = new byte[body.getInt()];
    body.get(data);
    return new RecordedEvent(
        head.streamId(),
        head.firstVersion() + index,
        head.firstPosition() + index,
        eventId,
        type,
        schemaVersion,
        data,
        occurred,
        head.recordedAt(),
        correlation,
        causation,
        false);
  }

  /** Reads only the event id of the next event, skipping the rest. */
  static String skipEvent(ByteBuffer body) {
    String eventId = getString(body);
    skipString(body);
    body.position(body.position() + 4 + 8 + 4);
    skipString(body);
    skipString(body);
    int dataLength = body.getInt();
    body.position(body.position() + dataLength);
    return eventId;
  }

  private static String getString(ByteBuffer in) {
    int length = in.getInt();
    if (length < 0) {
      return null;
    }
    String s =
        new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
    in.position(in.position() + length);
    return s;
  }

  /** {@code known} when the next string has the same bytes, which saves a decode per event. */
  private static String sameOrNew(ByteBuffer in, String known) {
    int length = in.getInt(in.position());
    if (length == known.length()) {
      int start = in.arrayOffset() + in.position() + 4;
      byte[] array = in.array();
      boolean same = true;
      for (int i = 0; i < length && same; i++) {
        same = array[start + i] == known.charAt(i);
      }
      if (same) {
        in.position(in.position() + 4 + length);
        return known;
      }
    }
    return getString(in);
  }

  private static void skipString(ByteBuffer in) {
    int length = in.getInt();
    if (length > 0) {
      in.position(in.position() + length);
    }
  }
}
