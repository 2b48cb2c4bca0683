package dev.collect.core;

import dev.collect.core.internal.io.DiscardingSink;
import dev.collect.core.internal.io.JsonLinesFileSink;
import java.nio.file.Path;
import java.util.List;

/**
 * Where records end up. The runtime hands a sink batches; when {@link #write} returns, the batch
 * counts as written, and once {@link #flush()} returns after it, as durable: only then are the
 * source positions behind it committed.
 *
 * <p>Threading: several workers call {@code write} at once, and the runtime calls {@code flush}
 * from its reader thread meanwhile. A sink that cannot take that returns false from {@link
 * #isThreadSafe()} and the runtime serialises its calls.
 *
 * <p>Failures: a transient exception (I/O, timeouts; see {@link ErrorClassifier}) is retried with
 * backoff within the pipeline's outage budget; any other exception means the batch holds a record
 * the sink rejects, and the runtime splits the batch to isolate and dead-letter it. A sink that
 * knows which records it rejected throws {@link RecordsRejectedException}.
 *
 * @param <T> the record type
 */
public interface Sink<T> extends AutoCloseable {

  /** A name for metrics, logs and dead letters. */
  String name();

  /** Called once before the first write. */
  default void open(PipelineContext context) throws Exception {}

  /** Writes a non-empty batch, in order. */
  void write(List<Envelope<T>> batch) throws Exception;

  /** Makes everything written so far durable (fsync, commit, producer flush). */
  default void flush() throws Exception {}

  /**
   * True when writing the same record twice leaves one copy (keyed upserts, files committed by
   * rename), so that replays after a crash create no duplicates here.
   */
  default boolean isIdempotent() {
    return false;
  }

  /** True when {@code write} and {@code flush} may be called from several threads at once. */
  default boolean isThreadSafe() {
    return true;
  }

  /** Flushes and releases resources. */
  @Override
  default void close() throws Exception {}

  /**
   * Appends each record as one line of JSON (Jackson) to {@code file}, creating it; {@code flush}
   * forces the bytes to disk. Not idempotent: a replayed tail is appended again.
   */
  static <T> Sink<T> jsonLines(Path file) {
    return JsonLinesFileSink.<T>builder(file).build();
  }

  /**
   * Like {@link #jsonLines(Path)}, serialising each value as {@code type} with {@code mapper}: the
   * bytes of a line are exactly {@code mapper.writerFor(type).writeValueAsString(value)}.
   */
  static <T> Sink<T> jsonLines(
      Path file, Class<? super T> type, com.fasterxml.jackson.databind.ObjectMapper mapper) {
    return JsonLinesFileSink.<T>builder(file).type(type).mapper(mapper).build();
  }

  /** A sink that counts and drops what it gets: for benchmarks and dry runs. */
  static <T> Sink<T> discard() {
    return new DiscardingSink<>();
  }

  /** A sink from a lambda that writes one batch; not thread-safe unless the lambda is. */
  static <T> Sink<T> of(String name, BatchWriter<T> writer) {
    return new Sink<>() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void write(List<Envelope<T>> batch) throws Exception {
        writer.write(batch);
      }

      @Override
      public boolean isThreadSafe() {
        return false;
      }
    };
  }

  /** Writes one batch; see {@link Sink#of(String, BatchWriter)}. */
  @FunctionalInterface
  interface BatchWriter<T> {
    void write(List<Envelope<T>> batch) throws Exception;
  }
}
