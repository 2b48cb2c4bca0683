package dev.collect.eventstore.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Reads records out of a segment through a heap chunk, so that sequential reads cost one system
 * call per chunk, not per record. Checks framing and checksum of every record it returns. Not
 * thread-safe: one per reading call.
 */
final class RecordReader {
  static final int TRUNCATED = -1;
  static final int BAD_CHECKSUM = -2;
  private static final int CHUNK = 1 << 20;

  private ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
  // One view of the chunk for the bodies, one checksum: reused record after record.
  private ByteBuffer body = chunk.duplicate();
  private final CRC32C crc = new CRC32C();
  private FileChannel channel;
  private long chunkStart = -1;
  private int chunkLength;

  /**
   * Names the bad record at byte {@code offset} of {@code segment} for a failure {@link #check}
   * reported: {@code "record at byte 12 of <path> fails its CRC32C checksum"}, or the record
   * followed by {@code truncated} when its framing was cut short.
   */
  static String describe(int failure, long offset, Path segment, String truncated) {
    return "record at byte "
        + offset
        + " of "
        + segment
        + (failure == BAD_CHECKSUM ? " fails its CRC32C checksum" : truncated);
  }

  /** Forgets the chunk read last, so that the next read goes to the file. */
  void forget() {
    channel = null;
    chunkStart = -1;
    chunkLength = 0;
  }

  /**
   * Checks the record at {@code offset} of a segment holding {@code size} valid bytes: its body
   * length when whole and its checksum matches, else {@link #TRUNCATED} or {@link #BAD_CHECKSUM}.
   * When it returns a length, {@link #body} gives the body.
   */
  int check(FileChannel segment, long offset, long size) throws IOException {
    if (offset + RecordCodec.HEADER > size) {
      return TRUNCATED;
    }
    ensure(segment, offset, RecordCodec.HEADER, size);
    int rel = (int) (offset - chunkStart);
    int length = chunk.getInt(rel);
    if (length < RecordCodec.MIN_BODY || offset + RecordCodec.HEADER + length > size) {
      return TRUNCATED;
    }
    ensure(segment, offset, RecordCodec.HEADER + length, size);
    rel = (int) (offset - chunkStart);
    // The checksum covers the length field and the body (RecordCodec.crc), read in place.
    crc.reset();
    crc.update(chunk.array(), chunk.arrayOffset() + rel, 4);
    crc.update(chunk.array(), chunk.arrayOffset() + rel + RecordCodec.HEADER, length);
    if ((int) crc.getValue() != chunk.getInt(rel + 4)) {
      return BAD_CHECKSUM;
    }
    return length;
  }

  /**
   * The body of the record that {@link #check} accepted last: a view valid until the next call of
   * {@link #check} or {@code body} (the same buffer is returned each time).
   */
  ByteBuffer body(long offset, int length) {
    int rel = (int) (offset - chunkStart) + RecordCodec.HEADER;
    body.limit(rel + length).position(rel);
    return body;
  }

  private void ensure(FileChannel segment, long offset, int needed, long size) throws IOException {
    if (segment == channel && offset >= chunkStart && offset + needed <= chunkStart + chunkLength) {
      return;
    }
    int capacity = Math.max(CHUNK, needed);
    if (chunk.capacity() < capacity) {
      chunk = ByteBuffer.allocate(capacity);
      body = chunk.duplicate();
    }
    int toRead = (int) Math.min(capacity, size - offset);
    chunk.clear().limit(toRead);
    while (chunk.hasRemaining()) {
      if (segment.read(chunk, offset + chunk.position()) < 0) {
        break;
      }
    }
    channel = segment;
    chunkStart = offset;
    chunkLength = chunk.position();
    chunk.clear();
  }
}
