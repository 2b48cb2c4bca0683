package dev.collect.batch.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Durable, atomic file publication: fsync the file, rename it into place, fsync the directory. */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Forces a file's bytes to disk. */
  public static void fsync(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  /**
   * Renames {@code temp} to {@code target} atomically, after forcing it, then forces the directory.
   */
  public static void publish(Path temp, Path target) throws IOException {
    fsync(temp);
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    fsyncDirectory(target.getParent());
  }

  /** Writes {@code bytes} to {@code target} atomically. */
  public static void write(Path target, byte[] bytes) throws IOException {
    Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.write(temp, bytes);
    publish(temp, target);
  }

  /** Forces a directory entry change to disk; a no-op where the platform cannot (Windows). */
  public static void fsyncDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Opening a directory for fsync is not supported everywhere; the rename is still atomic.
    }
  }
}
