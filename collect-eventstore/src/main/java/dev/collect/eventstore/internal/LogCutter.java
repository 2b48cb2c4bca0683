package dev.collect.eventstore.internal;

import dev.collect.eventstore.RecoveryReport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Cuts the log for {@link LogRecovery}: a torn tail is dropped; what repair cuts is first copied
 * beside the log ({@code <segment>.cut-at-<offset>}), so that nothing is destroyed. Counts the
 * events of what it cuts from the record heads.
 */
final class LogCutter {
  private static final int FIXED_HEAD = RecordCodec.HEADER + 8 + 8 + 4;

  private LogCutter() {}

  /** Drops the torn record at {@code offset} of the last segment; {@code next} is its position. */
  static RecoveryReport.Cut cutTornTail(Segment segment, long offset, long next)
      throws IOException {
    long size = segment.channel.size();
    long events = countEvents(segment.channel, offset, size, next);
    segment.channel.truncate(offset);
    segment.channel.force(true);
    segment.size = offset;
    return new RecoveryReport.Cut(
        RecoveryReport.Kind.TORN_TAIL, name(segment.path), offset, size - offset, next, events);
  }

  /**
   * Repair: cuts {@code segment} from {@code offset} on and every file in {@code later}, each saved
   * first to {@code <file>.cut-at-<offset>}. {@code next} is the position the cut starts at and
   * {@code missingBytes} are bytes known lost beyond what is cut (a truncated segment).
   */
  static RecoveryReport.Cut cutFrom(
      RecoveryReport.Kind kind,
      Segment segment,
      long offset,
      List<Path> later,
      long next,
      long missingBytes)
      throws IOException {
    long size = segment.channel.size();
    long bytes = missingBytes;
    long events = -1;
    if (size > offset) {
      events = countEvents(segment.channel, offset, size, next);
      Path copy = cutFile(segment.path, offset);
      try (FileChannel out =
          FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        long done = 0;
        while (done < size - offset) {
          done += segment.channel.transferTo(offset + done, size - offset - done, out);
        }
        out.force(true);
      }
      segment.channel.truncate(offset);
      segment.channel.force(true);
      bytes += size - offset;
    } else if (missingBytes == 0) {
      events = 0;
    }
    segment.size = offset;
    for (Path file : later) {
      long fileSize = Files.size(file);
      try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
        long n = countEvents(in, Segment.FIRST_RECORD, fileSize, Segment.baseOf(file));
        events = events < 0 || n < 0 ? -1 : events + n;
      }
      Files.move(file, cutFile(file, 0));
      bytes += fileSize;
    }
    GroupCommitWriter.forceDirectory(segment.path.getParent());
    return new RecoveryReport.Cut(kind, name(segment.path), offset, bytes, next, events);
  }

  /**
   * The events announced by the records in {@code [from, to)}, the first of which holds position
   * {@code first}; the last may be torn. -1 when a record's head is cut before its event count or
   * is not a plausible head there.
   */
  static long countEvents(FileChannel channel, long from, long to, long first) throws IOException {
    long events = 0;
    long expected = first;
    long offset = from;
    ByteBuffer head = ByteBuffer.allocate(FIXED_HEAD);
    while (offset < to) {
      if (to - offset < FIXED_HEAD || !readFully(channel, head.clear(), offset)) {
        return -1;
      }
      int length = head.getInt(0);
      int streamLength = head.getInt(FIXED_HEAD - 4);
      if (length < RecordCodec.MIN_BODY
          || head.getLong(RecordCodec.HEADER) != expected
          || streamLength < 0
          || streamLength > length - RecordCodec.MIN_BODY) {
        return -1;
      }
      long countAt = offset + FIXED_HEAD + streamLength + 8;
      ByteBuffer count = ByteBuffer.allocate(4);
      if (countAt + 4 > to || !readFully(channel, count, countAt) || count.getInt(0) < 1) {
        return -1;
      }
      events += count.getInt(0);
      expected += count.getInt(0);
      offset += RecordCodec.HEADER + (long) length;
    }
    return events;
  }

  private static boolean readFully(FileChannel channel, ByteBuffer buf, long at)
      throws IOException {
    while (buf.hasRemaining()) {
      if (channel.read(buf, at + buf.position()) < 0) {
        return false;
      }
    }
    return true;
  }

  static Path cutFile(Path file, long offset) {
    return file.resolveSibling(file.getFileName() + ".cut-at-" + offset);
  }

  static String name(Path file) {
    return file.getFileName().toString();
  }
}
