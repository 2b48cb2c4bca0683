package dev.collect.core.internal.io;

import dev.collect.core.CheckpointStore;
import dev.collect.core.CollectException;
import dev.collect.core.Envelope;
import dev.collect.core.FilePosition;
import dev.collect.core.MalformedRecordException;
import dev.collect.core.PipelineContext;
import dev.collect.core.Position;
import dev.collect.core.internal.checkpoint.Keys;
import dev.collect.core.spi.Checks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Lines of a file as raw bytes, with {@link FilePosition}s. It keeps {@code offset:line} in the
 * pipeline's checkpoint store under {@link #checkpointKey(Path)} on every commit and resumes there.
 * A line longer than the limit becomes an unreadable record (dead letter) holding its first
 * kilobyte. A poll stops at its record bound or once its lines reach its byte bound, whichever
 * comes first (it always returns at least one line, so a line up to the line limit passes).
 */
public final class JsonLinesFileSource extends LineFileSource {
  public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;
  private static final String KEY_PREFIX = "jsonlines:";

  private final String checkpointKey;
  private final int maxLineBytes;
  private CheckpointStore checkpoints;

  private JsonLinesFileSource(Builder builder) {
    super(builder.file, builder.name == null ? "file:" + builder.file.getFileName() : builder.name);
    this.checkpointKey = checkpointKey(file);
    this.maxLineBytes = builder.maxLineBytes;
  }

  public static Builder builder(Path file) {
    return new Builder(file);
  }

  /**
   * The key of a file's position in the pipeline's checkpoint store: {@code jsonlines:} and the
   * file's absolute, normalized path, or {@code jsonlines:sha256:} and that path's SHA-256 when the
   * path is too long for a key. Stable across runs as long as the file stays where it is.
   */
  public static String checkpointKey(Path file) {
    String path = file.toAbsolutePath().normalize().toString();
    String key = KEY_PREFIX + path;
    if (key.length() <= Keys.MAX_LENGTH) {
      return key;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
      return KEY_PREFIX + "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new CollectException(
          "this JVM has no SHA-256, which every Java runtime must provide", e);
    }
  }

  @Override
  public void open(PipelineContext context) throws IOException {
    clock = context.clock();
    long offset = 0;
    long line = 0;
    checkpoints = context.checkpoints();
    Optional<String> saved =
        checkpoints == null ? Optional.empty() : checkpoints.load(checkpointKey);
    if (saved.isPresent()) {
      String[] parts = saved.get().split(":");
      offset = Long.parseLong(parts[0]);
      line = Long.parseLong(parts[1]);
    }
    reader = new LineReader(file, offset, line, maxLineBytes);
  }

  @Override
  Envelope<byte[]> toEnvelope(byte[] line, FilePosition position, Instant now) {
    if (reader.lastLineTooLong()) {
      byte[] head = Arrays.copyOf(line, Math.min(line.length, 1024));
      return Envelope.builder(head)
          .raw(head)
          .source(name())
          .position(position)
          .ingestTime(now)
          .failure(
              new MalformedRecordException(
                  "line longer than the limit of " + maxLineBytes + " bytes"))
          .build();
    }
    return Envelope.builder(line)
        .raw(line)
        .source(name())
        .position(position)
        .ingestTime(now)
        .build();
  }

  @Override
  public void commit(Position position) {
    if (checkpoints != null && position instanceof FilePosition p) {
      checkpoints.save(checkpointKey, p.nextOffset() + ":" + p.line());
    }
  }

  /** Builds a JSON Lines file source. */
  public static final class Builder {
    private final Path file;
    private String name;
    private int maxLineBytes = DEFAULT_MAX_LINE_BYTES;

    private Builder(Path file) {
      this.file = file;
    }

    public Builder name(String value) {
      this.name = value;
      return this;
    }

    public Builder maxLineBytes(int value) {
      this.maxLineBytes = Checks.positive("maxLineBytes", value);
      return this;
    }

    public JsonLinesFileSource build() {
      return new JsonLinesFileSource(this);
    }
  }
}
