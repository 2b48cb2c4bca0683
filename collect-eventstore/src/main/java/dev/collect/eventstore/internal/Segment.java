package dev.collect.eventstore.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** One segment file: the records from {@code basePosition} on, and how many bytes are valid. */
final class Segment {
  final long basePosition;
  final Path path;
  final FileChannel channel;

  /** Bytes of whole records; written by the writer thread, read by everyone. */
  volatile long size;

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
}
