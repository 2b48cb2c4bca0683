package dev.collect.eventstore.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * One segment file: a {@link DurableHeader} holding the segment's base position and its committed
 * size (the end of the last group commit that was forced to disk), then the records from {@code
 * basePosition} on.
 */
final class Segment {
  /** Where the first record of a segment starts. */
  static final long FIRST_RECORD = DurableHeader.SIZE;

  final long basePosition;
  final Path path;
  final FileChannel channel;

  /** Bytes of whole records (and the header); written by the writer thread, read by everyone. */
  volatile long size;

  // Writer thread only; null until the header was read or written.
  private DurableHeader header;

  private Segment(long basePosition, Path path, FileChannel channel) {
    this.basePosition = basePosition;
    this.path = path;
    this.channel = channel;
  }

  static Path pathFor(Path directory, long basePosition) {
    return directory.resolve(String.format("segment-%020d.log", basePosition));
  }

  static long baseOf(Path file) {
    String name = file.getFileName().toString();
    return Long.parseLong(name.substring("segment-".length(), name.length() - ".log".length()));
  }

  static boolean isSegment(Path file) {
    return file.getFileName().toString().matches("segment-\\d{20}\\.log");
  }

  static Segment open(Path path, boolean writable) throws IOException {
    FileChannel channel =
        writable
            ? FileChannel.open(
                path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)
            : FileChannel.open(path, StandardOpenOption.READ);
    return new Segment(baseOf(path), path, channel);
  }

  /**
   * Creates an empty segment with its header, forced to disk, under a temporary name renamed into
   * place: a segment file never lacks its header. The caller forces the directory.
   */
  static Segment create(Path directory, long basePosition) throws IOException {
    Path path = pathFor(directory, basePosition);
    Path temp = path.resolveSibling(path.getFileName() + ".new");
    FileChannel channel =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    try {
      Segment segment = new Segment(basePosition, path, channel);
      segment.header =
          DurableHeader.create(channel, DurableHeader.SEGMENT_MAGIC, basePosition, FIRST_RECORD);
      channel.force(true);
      Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE);
      segment.size = FIRST_RECORD;
      return segment;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** The committed size in the header, or -1 when the header is damaged or of another format. */
  long readCommittedSize() throws IOException {
    DurableHeader.State state = DurableHeader.read(channel, DurableHeader.SEGMENT_MAGIC);
    if (state == null || state.fixed() != basePosition || state.value() < FIRST_RECORD) {
      return -1;
    }
    header = DurableHeader.resume(DurableHeader.SEGMENT_MAGIC, state);
    return state.value();
  }

  /**
   * Records {@code committed} in the header without forcing it: call it only once the bytes up to
   * there are on disk, so that the header never claims more than the disk holds; the next force of
   * this segment makes it durable.
   */
  void commit(long committed) throws IOException {
    if (header == null) {
      header = DurableHeader.create(channel, DurableHeader.SEGMENT_MAGIC, basePosition, committed);
      return;
    }
    header.update(channel, committed);
  }
}
