package dev.collect.batch.internal.lake;

import dev.collect.batch.internal.AtomicFiles;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A run's directory {@code _collect/runs/<run>}: created atomically (so two writers never share a
 * run id, which names the run's data files), holding an OS lock on its {@code writer.lock} file
 * while the run is open (released by the OS when the process dies, even by SIGKILL) and the name of
 * its writer. A run directory without a manifest whose lock nobody holds belongs to a crashed run.
 */
final class RunDirectory implements Closeable {
  private static final DateTimeFormatter RUN_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final String LOCK = "writer.lock";
  private static final String WRITER = "writer";

  /**
   * Run directories locked in this JVM. Checked instead of the lock file: closing any channel on a
   * file may release every lock this JVM holds on it (FileLock's platform note).
   */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  final String id;
  final Path dir;
  private final FileChannel channel;

  private RunDirectory(String id, Path dir, FileChannel channel) {
    this.id = id;
    this.dir = dir;
    this.channel = channel;
  }

  /** Creates and locks a new run directory under {@code runs} for {@code writer}. */
  static RunDirectory create(Path runs, Instant startedAt, String writer) throws IOException {
    Files.createDirectories(runs);
    while (true) {
      String id = RUN_TIME.format(startedAt) + "-" + UUID.randomUUID().toString().substring(0, 8);
      Path dir = runs.resolve(id).toAbsolutePath();
      try {
        Files.createDirectory(dir);
      } catch (FileAlreadyExistsException taken) {
        continue;
      }
      HELD.add(dir);
      FileChannel channel =
          FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock(); // a new directory: nobody else knows its lock file yet
      if (lock == null) {
        channel.close();
        HELD.remove(dir);
        throw new IOException("could not lock the new run directory " + dir);
      }
      // Written after the lock: a directory without it is still being set up, never stale.
      AtomicFiles.write(dir.resolve(WRITER), writer.getBytes(StandardCharsets.UTF_8));
      return new RunDirectory(id, dir, channel);
    }
  }

  /** The run directories under {@code runs} of crashed runs: no manifest, set up, unlocked. */
  static List<Path> crashed(Path runs) throws IOException {
    List<Path> crashed = new ArrayList<>();
    if (!Files.isDirectory(runs)) {
      return crashed;
    }
    try (Stream<Path> dirs = Files.list(runs)) {
      for (Path dir : dirs.sorted().toList()) {
        if (Files.isDirectory(dir)
            && !Files.exists(dir.resolve(RunManifest.FILE_NAME))
            && Files.exists(dir.resolve(WRITER))
            && !isLocked(dir.toAbsolutePath())) {
          crashed.add(dir);
        }
      }
    }
    return crashed;
  }

  private static boolean isLocked(Path dir) throws IOException {
    if (HELD.contains(dir)) {
      return true;
    }
    try (FileChannel probe = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.WRITE)) {
      FileLock lock = probe.tryLock();
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (OverlappingFileLockException probedByAnotherThread) {
      return true;
    } catch (NoSuchFileException noLockFile) {
      return false;
    }
  }

  /** The writer name of a run directory. */
  static String writerOf(Path dir) throws IOException {
    return Files.readString(dir.resolve(WRITER), StandardCharsets.UTF_8);
  }

  /**
   * Releases the lock: the run is closed (completed, or ended unclean for a later run to absorb).
   */
  @Override
  public void close() throws IOException {
    try {
      channel.close();
    } finally {
      HELD.remove(dir);
    }
  }
}
