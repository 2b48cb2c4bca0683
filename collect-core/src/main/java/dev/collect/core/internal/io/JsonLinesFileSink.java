package dev.collect.core.internal.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.collect.core.Durability;
import dev.collect.core.Envelope;
import dev.collect.core.Sink;
import dev.collect.core.internal.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Appends records as JSON lines. Each caller serialises its batch on its own thread; only the
 * append of the finished bytes holds the lock, so several workers format in parallel. {@code flush}
 * hands the bytes to the operating system and, with {@link Durability#FSYNC} (the default), forces
 * the file to disk; {@code close} does the same.
 */
public final class JsonLinesFileSink<T> implements Sink<T> {
  private final Path file;
  private final String name;
  private final ObjectWriter writer;
  private final Durability durability;
  private final ChannelOpener opener;
  private static final int MAX_SCRATCH = 4 << 20;
  private final ThreadLocal<Bytes> scratch = ThreadLocal.withInitial(Bytes::new);
  private final Object lock = new Object();
  private FileChannel channel;
  private OutputStream out;

  private JsonLinesFileSink(Builder<T> builder) {
    this.file = builder.file;
    this.name = builder.name == null ? "file:" + file.getFileName() : builder.name;
    this.durability = builder.durability;
    this.opener = builder.opener;
    ObjectMapper mapper = builder.mapper == null ? Json.mapper() : builder.mapper;
    ObjectWriter base = builder.type == null ? mapper.writer() : mapper.writerFor(builder.type);
    this.writer =
        base.with(new MinimalPrettyPrinter("\n"))
            .without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
  }

  public static <T> Builder<T> builder(Path file) {
    return new Builder<>(file);
  }

  @Override
  public String name() {
    return name;
  }

  private void ensureOpen() throws IOException {
    if (channel == null) {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      channel = opener.open(file);
      out = new java.io.BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
    }
  }

  @Override
  public void write(List<Envelope<T>> batch) throws IOException {
    Bytes bytes = scratch.get();
    bytes.reset();
    // One generator per batch: the records are separated by '\n', and one more ends the last.
    try (JsonGenerator generator = writer.createGenerator(bytes)) {
      for (Envelope<T> record : batch) {
        writer.writeValue(generator, record.value());
      }
    }
    bytes.write('\n');
    synchronized (lock) {
      ensureOpen();
      out.write(bytes.array(), 0, bytes.size());
    }
    if (bytes.size() > MAX_SCRATCH) {
      scratch.remove();
    }
  }

  @Override
  public boolean isThreadSafe() {
    return true;
  }

  /** A byte buffer whose array can be written without a copy. */
  static final class Bytes extends ByteArrayOutputStream {
    Bytes() {
      super(1 << 16);
    }

    byte[] array() {
      return buf;
    }
  }

  @Override
  public void flush() throws IOException {
    FileChannel toForce;
    synchronized (lock) {
      if (out == null) {
        return;
      }
      out.flush();
      toForce = channel;
    }
    // Outside the lock: writers keep appending while the disk catches up; force covers every
    // byte handed to the channel before the call.
    if (durability == Durability.FSYNC) {
      toForce.force(false);
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (lock) {
      if (out != null) {
        out.flush();
        if (durability == Durability.FSYNC) {
          channel.force(false);
        }
        out.close();
        out = null;
        channel = null;
      }
    }
  }

  private static FileChannel openForAppend(Path file) throws IOException {
    return FileChannel.open(
        file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  /** Opens the sink's file for appending. */
  @FunctionalInterface
  public interface ChannelOpener {
    FileChannel open(Path file) throws IOException;
  }

  /** Builds a JSON Lines file sink. */
  public static final class Builder<T> {
    private final Path file;
    private String name;
    private ObjectMapper mapper;
    private Class<? super T> type;
    private Durability durability = Durability.FSYNC;
    private ChannelOpener opener = JsonLinesFileSink::openForAppend;

    private Builder(Path file) {
      this.file = file;
    }

    public Builder<T> name(String value) {
      this.name = value;
      return this;
    }

    /** The mapper (default: Collect's, with ISO-8601 times). */
    public Builder<T> mapper(ObjectMapper value) {
      this.mapper = value;
      return this;
    }

    /** The declared type to serialise as (default: each value's runtime class). */
    public Builder<T> type(Class<? super T> value) {
      this.type = value;
      return this;
    }

    /** When a flush counts as durable (default {@link Durability#FSYNC}). */
    public Builder<T> durability(Durability value) {
      this.durability = java.util.Objects.requireNonNull(value, "durability");
      return this;
    }

    /**
     * How the file is opened for appending (default {@link FileChannel#open}); a seam for
     * instrumenting the channel, e.g. to observe {@code force}.
     */
    public Builder<T> opener(ChannelOpener value) {
      this.opener = java.util.Objects.requireNonNull(value, "opener");
      return this;
    }

    public JsonLinesFileSink<T> build() {
      return new JsonLinesFileSink<>(this);
    }
  }
}
