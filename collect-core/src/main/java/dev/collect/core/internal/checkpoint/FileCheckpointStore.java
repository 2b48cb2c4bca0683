package dev.collect.core.internal.checkpoint;

import dev.collect.core.CheckpointStore;
import dev.collect.core.CollectException;
import dev.collect.core.RetriableCollectException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * One file per key in a directory. A save writes {@code crc32c \n value} to a temporary file,
 * forces it, renames it over the old file and forces the directory, so a crash leaves either the
 * old or the new value; a load that finds a checksum mismatch reports corruption instead of
 * returning a wrong position.
 */
public final class FileCheckpointStore implements CheckpointStore {
  // Room for ".checkpoint.tmp" within a 255-byte file name.
  private static final int MAX_ENCODED_NAME = 200;

  private final Path directory;

  public FileCheckpointStore(Path directory) {
    this.directory = directory;
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new RetriableCollectException("cannot create checkpoint directory " + directory, e);
    }
  }

  private Path fileFor(String key) {
    // Base64url keeps any key a valid, collision-free file name; a name that would pass the 255
    // bytes most file systems allow becomes "~" and the key's SHA-256 ("~" is not Base64url).
    byte[] bytes = Keys.check(key).getBytes(StandardCharsets.UTF_8);
    String name = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    if (name.length() > MAX_ENCODED_NAME) {
      name = "~" + sha256Hex(bytes);
    }
    return directory.resolve(name + ".checkpoint");
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new CollectException(
          "this JVM has no SHA-256, which every Java runtime must provide", e);
    }
  }

  @Override
  public synchronized Optional<String> load(String key) {
    Path file = fileFor(key);
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new RetriableCollectException("cannot read checkpoint " + file, e);
    }
    int newline = content.indexOf('\n');
    if (newline < 0) {
      throw corrupt(file);
    }
    String value = content.substring(newline + 1);
    if (!content.substring(0, newline).equals(crc(value))) {
      throw corrupt(file);
    }
    return Optional.of(value);
  }

  private static CollectException corrupt(Path file) {
    return new CollectException(
        "checkpoint file " + file + " is corrupt (checksum mismatch); delete it to start over");
  }

  @Override
  public synchronized void save(String key, String value) {
    Path file = fileFor(key);
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    byte[] bytes = (crc(value) + "\n" + value).getBytes(StandardCharsets.UTF_8);
    try {
      try (FileChannel channel =
          FileChannel.open(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      forceDirectory();
    } catch (IOException e) {
      throw new RetriableCollectException("cannot save checkpoint " + file, e);
    }
  }

  @Override
  public synchronized void delete(String key) {
    try {
      Files.deleteIfExists(fileFor(key));
      forceDirectory();
    } catch (IOException e) {
      throw new RetriableCollectException("cannot delete checkpoint for key", e);
    }
  }

  private void forceDirectory() throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // Some file systems cannot open a directory for sync; the rename is still atomic there.
    }
  }

  private static String crc(String value) {
    CRC32C crc = new CRC32C();
    crc.update(value.getBytes(StandardCharsets.UTF_8));
    return Long.toHexString(crc.getValue());
  }
}
