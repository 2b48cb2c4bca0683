package dev.collect.eventstore.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * The 64-byte header of a segment and of the head file: a magic number, a format version and a
 * fixed value (a segment's base position), then two slots holding a value that changes (a segment's
 * committed size, the head file's last segment). Each slot has a sequence number and a CRC32C over
 * the fixed part and itself; writes alternate between the slots, so a torn write of one leaves the
 * other, one update older. Not thread-safe.
 *
 * <pre>
 * header = magic:int32 version:int32 fixed:int64 slot slot
 * slot   = sequence:int64 value:int64 crc32c:int32 pad:int32
 * </pre>
 */
final class DurableHeader {
  static final int SIZE = 64;
  static final int SEGMENT_MAGIC = 0x434c5347; // "CLSG"
  static final int HEAD_MAGIC = 0x434c4844; // "CLHD"
  private static final int VERSION = 1;
  private static final int FIXED = 16;
  private static final int SLOT = 24;

  /** The newest valid slot of a header. */
  record State(long fixed, long sequence, long value) {}

  private final int magic;
  private final long fixed;
  private final ByteBuffer slot = ByteBuffer.allocateDirect(SLOT);
  private long sequence;

  private DurableHeader(int magic, long fixed, long sequence) {
    this.magic = magic;
    this.fixed = fixed;
    this.sequence = sequence;
  }

  /** Writes a whole new header holding {@code value} at the start of {@code channel}. */
  static DurableHeader create(FileChannel channel, int magic, long fixed, long value)
      throws IOException {
    ByteBuffer all = ByteBuffer.allocate(SIZE);
    all.putInt(magic).putInt(VERSION).putLong(fixed);
    putSlot(all, FIXED, magic, fixed, 0, value);
    writeFully(channel, all.clear(), 0);
    return new DurableHeader(magic, fixed, 0);
  }

  /** Continues a header read with {@link #read}. */
  static DurableHeader resume(int magic, State state) {
    return new DurableHeader(magic, state.fixed(), state.sequence());
  }

  /**
   * The newest valid slot of the header at the start of {@code channel}, or null when the file is
   * too short, is not of this kind and version, or has no slot with a matching checksum.
   */
  static State read(FileChannel channel, int magic) throws IOException {
    ByteBuffer all = ByteBuffer.allocate(SIZE);
    while (all.hasRemaining() && channel.read(all, all.position()) >= 0) {}
    if (all.hasRemaining() || all.getInt(0) != magic || all.getInt(4) != VERSION) {
      return null;
    }
    long fixed = all.getLong(8);
    State best = null;
    for (int s = 0; s < 2; s++) {
      int at = FIXED + s * SLOT;
      long sequence = all.getLong(at);
      long value = all.getLong(at + 8);
      if (all.getInt(at + 16) == crc(magic, fixed, sequence, value)
          && (best == null || sequence > best.sequence())) {
        best = new State(fixed, sequence, value);
      }
    }
    return best;
  }

  /** Writes {@code value} into the older slot, without forcing it to disk. */
  void update(FileChannel channel, long value) throws IOException {
    sequence++;
    slot.clear();
    putSlot(slot, 0, magic, fixed, sequence, value);
    writeFully(channel, slot.clear(), FIXED + (sequence % 2) * SLOT);
  }

  private static void putSlot(
      ByteBuffer buf, int at, int magic, long fixed, long sequence, long value) {
    buf.putLong(at, sequence).putLong(at + 8, value);
    buf.putInt(at + 16, crc(magic, fixed, sequence, value)).putInt(at + 20, 0);
  }

  private static int crc(int magic, long fixed, long sequence, long value) {
    ByteBuffer b = ByteBuffer.allocate(32);
    b.putInt(magic).putInt(VERSION).putLong(fixed).putLong(sequence).putLong(value).flip();
    CRC32C crc = new CRC32C();
    crc.update(b);
    return (int) crc.getValue();
  }

  private static void writeFully(FileChannel channel, ByteBuffer buf, long at) throws IOException {
    while (buf.hasRemaining()) {
      channel.write(buf, at + buf.position());
    }
  }
}
