package dev.collect.eventstore.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The file {@code head} beside the segments: the base position of the last segment, forced to disk
 * when the store is created and whenever a segment is added. With each segment's committed size it
 * tells how long the log must be, so that a deleted last segment is reported, not taken for a
 * shorter log.
 */
final class HeadFile {
  static final String NAME = "head";

  private HeadFile() {}

  /** The last segment's base position it holds; -1 when absent; -2 when damaged. */
  static long read(Path directory) throws IOException {
    Path file = directory.resolve(NAME);
    if (!Files.exists(file)) {
      return -1;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      DurableHeader.State state = DurableHeader.read(channel, DurableHeader.HEAD_MAGIC);
      return state == null || state.value() < 0 ? -2 : state.value();
    }
  }

  /**
   * Makes the head file name {@code lastBase}, durably: written beside, forced, renamed over the
   * old one and the directory forced, so that a crash leaves the old file or the new one.
   */
  static void write(Path directory, long lastBase) throws IOException {
    Path temp = directory.resolve(NAME + ".tmp");
    try (FileChannel channel =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      DurableHeader.create(channel, DurableHeader.HEAD_MAGIC, 0, lastBase);
      channel.force(true);
    }
    Files.move(
        temp,
        directory.resolve(NAME),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    GroupCommitWriter.forceDirectory(directory);
  }
}
