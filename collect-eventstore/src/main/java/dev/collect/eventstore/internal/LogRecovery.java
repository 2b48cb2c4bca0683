package dev.collect.eventstore.internal;

import dev.collect.eventstore.CorruptLogException;
import dev.collect.eventstore.RecoveryReport;
import dev.collect.eventstore.RecoveryReport.Kind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the segments, checks every record (framing, CRC32C, position continuity) against the
 * segments' committed sizes and the head file, and rebuilds the index.
 *
 * <p>A crash can leave only a record that is too short (a write cut before its end) after the last
 * committed byte: that torn tail is cut off and reported. Anything else is damage and fails the
 * open with {@link CorruptLogException}: a bad record before the committed size or before another
 * valid record, a whole record with a wrong checksum, a segment shorter than its committed size, a
 * missing segment or header. With repair, the log is cut before the damage instead, and the cut
 * reported.
 */
final class LogRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(LogRecovery.class);
  private static final String REPAIR_HINT =
      ". Restore the log from a backup, or open it once with FileEventStoreConfig.repair(true) to"
          + " cut the log there and accept the loss";

  record Result(List<Segment> segments, RecoveryReport report) {}

  private final Path directory;
  private final boolean repair;
  private final LogIndex index;
  private final RecordReader reader = new RecordReader();
  private final List<Segment> segments = new ArrayList<>();
  private final List<RecoveryReport.Cut> cuts = new ArrayList<>();
  // the position the next record must hold
  private long next;

  private LogRecovery(Path directory, boolean repair, LogIndex index) {
    this.directory = directory;
    this.repair = repair;
    this.index = index;
  }

  static Result recover(Path directory, boolean repair, LogIndex index) throws IOException {
    LogRecovery recovery = new LogRecovery(directory, repair, index);
    try {
      recovery.run();
    } catch (IOException | RuntimeException e) {
      for (Segment s : recovery.segments) {
        s.channel.close();
      }
      throw e;
    }
    index.publish(recovery.next);
    return new Result(recovery.segments, new RecoveryReport(recovery.next, recovery.cuts));
  }

  private void run() throws IOException {
    List<Path> files = FileLogStore.segmentFiles(directory);
    long headBase = HeadFile.read(directory);
    if (files.isEmpty()) {
      if (headBase != -1) {
        damage(
            "the log in "
                + directory
                + " has a head file but no segment: its segments were deleted or lost");
        cuts.add(new RecoveryReport.Cut(Kind.MISSING_SEGMENT, HeadFile.NAME, 0, -1, 0, -1));
      }
      segments.add(Segment.create(directory, 0));
      GroupCommitWriter.forceDirectory(directory);
      HeadFile.write(directory, 0);
      return;
    }
    Path lastFile = files.get(files.size() - 1);
    boolean freshStore =
        files.size() == 1
            && Segment.baseOf(lastFile) == 0
            && Files.size(lastFile) <= Segment.FIRST_RECORD;
    Kind headLoss = checkHeadFile(headBase, Segment.baseOf(lastFile), freshStore);
    scanSegments(files);
    Segment last = segments.get(segments.size() - 1);
    if (headLoss != null) {
      String name =
          headLoss == Kind.MISSING_SEGMENT
              ? LogCutter.name(Segment.pathFor(directory, headBase))
              : HeadFile.NAME;
      cuts.add(new RecoveryReport.Cut(headLoss, name, 0, -1, next, -1));
    }
    last.commit(last.size);
    last.channel.force(true);
    if (headBase != last.basePosition) {
      HeadFile.write(directory, last.basePosition);
    }
  }

  /** The loss repair accepts about the head file, or null when it matches the segments. */
  private Kind checkHeadFile(long headBase, long lastBase, boolean freshStore) {
    if (headBase < 0 && !freshStore) {
      damage(
          "the head file of "
              + directory
              + (headBase == -1
                  ? " is missing (deleted, or the log was written by an earlier version, whose"
                      + " format had none)"
                  : " is damaged")
              + ": whether segments after "
              + Segment.pathFor(directory, lastBase).getFileName()
              + " were lost cannot be told");
      return Kind.DAMAGED_HEADER;
    }
    if (lastBase < headBase) {
      damage(
          Segment.pathFor(directory, headBase).getFileName()
              + ", the last segment according to the head file, is missing: the log ends in "
              + Segment.pathFor(directory, lastBase).getFileName()
              + ", segments were deleted or lost");
      return Kind.MISSING_SEGMENT;
    }
    return null;
  }

  private void scanSegments(List<Path> files) throws IOException {
    for (int i = 0; i < files.size(); i++) {
      boolean last = i == files.size() - 1;
      Segment segment = Segment.open(files.get(i), last || repair);
      if (segment.basePosition != next) {
        segment.channel.close();
        damage(
            segment.path
                + " starts at position "
                + segment.basePosition
                + " but the log before it ends at "
                + next
                + ": a segment is missing or was renamed");
        if (segments.isEmpty()) {
          segments.add(Segment.create(directory, 0)); // the first segment is missing
        }
        Segment previous = segments.get(segments.size() - 1);
        cuts.add(
            LogCutter.cutFrom(
                Kind.MISSING_SEGMENT,
                previous,
                previous.size,
                files.subList(i, files.size()),
                next,
                0));
        return;
      }
      segments.add(segment);
      long committed = segment.readCommittedSize();
      boolean headerLost = committed < 0;
      if (headerLost) {
        damage(
            "the header of "
                + segment.path
                + " fails its checksum or is not of this format (segments written before"
                + " committed sizes were recorded are not readable)");
        cuts.add(
            new RecoveryReport.Cut(
                Kind.DAMAGED_HEADER, LogCutter.name(segment.path), 0, 0, next, 0));
        committed = Segment.FIRST_RECORD;
      }
      if (!scan(segment, i, last, committed, files.subList(i + 1, files.size()))) {
        return;
      }
      if (headerLost && !last) {
        segment.commit(segment.size);
        segment.channel.force(true);
      }
    }
  }

  /** Scans one segment; false when repair cut the log in it (and dropped the later ones). */
  private boolean scan(Segment segment, int number, boolean last, long committed, List<Path> later)
      throws IOException {
    long size = segment.channel.size();
    long offset = Segment.FIRST_RECORD;
    while (offset < size) {
      int length = reader.check(segment.channel, offset, size);
      if (length < 0) {
        if (last
            && offset >= committed
            && length == RecordReader.TRUNCATED
            && !validRecordAfter(segment.channel, offset, size, next)) {
          RecoveryReport.Cut cut = LogCutter.cutTornTail(segment, offset, next);
          LOG.warn(
              "{}: cut off a torn record of {} bytes at byte {} (position {}): an append that was"
                  + " never acknowledged",
              segment.path,
              cut.bytes(),
              offset,
              next);
          cuts.add(cut);
          return true;
        }
        boolean truncated = length == RecordReader.TRUNCATED && size < committed;
        damage(
            RecordReader.describe(
                    length,
                    offset,
                    segment.path,
                    " has a length that runs past its segment (framing check)")
                + whyDamage(last, offset, committed, length, size));
        cuts.add(
            LogCutter.cutFrom(
                truncated ? Kind.SHORT_SEGMENT : Kind.DAMAGED_RECORD,
                segment,
                offset,
                later,
                next,
                truncated ? committed - size : 0));
        return false;
      }
      ByteBuffer body = reader.body(offset, length);
      RecordCodec.Head head = RecordCodec.head(body);
      if (head.firstPosition() != next) {
        damage(
            "record at byte "
                + offset
                + " of "
                + segment.path
                + " holds position "
                + head.firstPosition()
                + " where "
                + next
                + " was expected");
        cuts.add(LogCutter.cutFrom(Kind.DAMAGED_RECORD, segment, offset, later, next, 0));
        return false;
      }
      index.addRecord(next, LogIndex.location(number, offset), head.recordedAtMicros());
      for (int i = 0; i < head.count(); i++) {
        index.addEvent(head.streamId(), RecordCodec.skipEvent(body), next + i);
      }
      next += head.count();
      offset += RecordCodec.HEADER + length;
    }
    segment.size = offset;
    if (offset < committed) {
      damage(
          segment.path
              + " ends at byte "
              + offset
              + " but its header says "
              + committed
              + " bytes were committed: the segment was truncated, acknowledged events are"
              + " missing");
      cuts.add(
          LogCutter.cutFrom(Kind.SHORT_SEGMENT, segment, offset, later, next, committed - offset));
      return false;
    }
    return true;
  }

  private static String whyDamage(
      boolean last, long offset, long committed, int length, long size) {
    if (!last) {
      return " and another segment follows: the segment is corrupt";
    }
    if (offset < committed) {
      return size < committed
          ? ", and the segment ends at byte "
              + size
              + " before its committed size "
              + committed
              + ": the segment was truncated, acknowledged events are missing"
          : " within the committed part of the segment (" + committed + " bytes): it is damaged";
    }
    return length == RecordReader.BAD_CHECKSUM
        ? ": a crash leaves a record too short, never a whole one with a wrong checksum, so it is"
            + " damaged"
        : " and is followed by a valid record: the segment is corrupt";
  }

  private void damage(String message) {
    if (!repair) {
      throw new CorruptLogException(message + REPAIR_HINT);
    }
    LOG.warn("repairing the event log: {}", message);
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
