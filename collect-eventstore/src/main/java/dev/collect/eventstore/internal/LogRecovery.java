package dev.collect.eventstore.internal;

import dev.collect.eventstore.CorruptLogException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the segments, checks every record (framing, CRC32C, position continuity) and rebuilds the
 * index. A bad record at the end of the last segment is a torn write from a crash: it is cut off
 * (never shown). A bad record anywhere else, or followed by a valid record, is corruption: opening
 * fails with {@link CorruptLogException} rather than skip it.
 */
final class LogRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(LogRecovery.class);

  private LogRecovery() {}

  static List<Segment> recover(Path directory, LogIndex index) throws IOException {
    List<Path> files = FileEventStore.segmentFiles(directory);
    List<Segment> segments = new ArrayList<>();
    if (files.isEmpty()) {
      segments.add(Segment.open(Segment.pathFor(directory, 0), true));
      GroupCommitWriter.forceDirectory(directory);
      return segments;
    }
    RecordReader reader = new RecordReader();
    long expected = 0;
    try {
      for (int i = 0; i < files.size(); i++) {
        boolean last = i == files.size() - 1;
        Segment segment = Segment.open(files.get(i), last);
        segments.add(segment);
        if (segment.basePosition != expected) {
          throw new CorruptLogException(
              segment.path
                  + " starts at position "
                  + segment.basePosition
                  + " but the log before it ends at "
                  + expected
                  + ": a segment is missing or was renamed");
        }
        expected = scan(segment, i, last, reader, index, expected);
      }
    } catch (IOException | RuntimeException e) {
      for (Segment s : segments) {
        s.channel.close();
      }
      throw e;
    }
    index.publish(expected);
    return segments;
  }

  private static long scan(
      Segment segment, int number, boolean last, RecordReader reader, LogIndex index, long next)
      throws IOException {
    long size = segment.channel.size();
    long offset = 0;
    while (offset < size) {
      int length = reader.check(segment.channel, offset, size);
      if (length < 0) {
        if (last && !validRecordAfter(segment.channel, offset, size, next)) {
          LOG.warn(
              "{}: cutting off a torn record of {} bytes at byte {} (an append that was never"
                  + " acknowledged)",
              segment.path,
              size - offset,
              offset);
          segment.channel.truncate(offset);
          segment.channel.force(true);
          break;
        }
        throw new CorruptLogException(
            "record at byte "
                + offset
                + " of "
                + segment.path
                + (length == RecordReader.BAD_CHECKSUM
                    ? " fails its CRC32C checksum"
                    : " has a length that runs past its segment (framing check; CRC32C not"
                        + " verifiable)")
                + " and is followed by more data: the segment is corrupt, restore it from a backup");
      }
      ByteBuffer body = reader.body(offset, length);
      RecordCodec.Head head = RecordCodec.head(body);
      if (head.firstPosition() != next) {
        throw new CorruptLogException(
            "record at byte "
                + offset
                + " of "
                + segment.path
                + " holds position "
                + head.firstPosition()
                + " where "
                + next
                + " was expected");
      }
      index.addRecord(next, LogIndex.location(number, offset), head.recordedAtMicros());
      for (int i = 0; i < head.count(); i++) {
        index.addEvent(head.streamId(), RecordCodec.skipEvent(body), next + i);
      }
      next += head.count();
      offset += RecordCodec.HEADER + length;
    }
    segment.size = offset;
    return next;
  }

  /**
   * True when a whole record with a valid checksum and a plausible position starts somewhere after
   * {@code from}: then the bad bytes are not a torn tail but damage in the middle of the log.
   */
  private static boolean validRecordAfter(FileChannel channel, long from, long size, long next)
      throws IOException {
    long tail = size - from;
    if (tail > Integer.MAX_VALUE - 16) {
      return true;
    }
    ByteBuffer buf = ByteBuffer.allocate((int) tail);
    while (buf.hasRemaining() && channel.read(buf, from + buf.position()) >= 0) {}
    int n = buf.position();
    for (int o = 1; o + RecordCodec.HEADER + RecordCodec.MIN_BODY <= n; o++) {
      int length = buf.getInt(o);
      if (length < RecordCodec.MIN_BODY || o + RecordCodec.HEADER + (long) length > n) {
        continue;
      }
      long position = buf.getLong(o + RecordCodec.HEADER);
      if (position < next || position > next + (1L << 32)) {
        continue;
      }
      if (RecordCodec.crc(buf, o, length) == buf.getInt(o + 4)) {
        return true;
      }
    }
    return false;
  }
}
