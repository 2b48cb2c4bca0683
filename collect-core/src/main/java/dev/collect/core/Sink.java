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
 * <p>Threading: by default ({@link #isThreadSafe()} false) the runtime gives a sink one caller at a
 * time, so a sink written without concurrency in mind is safe with any number of workers. A sink
 * that takes concurrent {@code write} calls from several workers, and a {@code flush} from the
 * reader thread meanwhile, says so by returning true, and then gets them.
 *
 * <p>Failures are classified by the pipeline's {@link ErrorClassifier}: a transient one (I/O,
 * timeouts, a lost database connection) is retried with backoff within the pipeline's outage
 * budget; one about a record (a serialisation or mapping failure, a constraint violation, a value
 * the sink cannot convert) makes the runtime split the batch at once until the record stands alone,
 * and only that record is dead-lettered, with the exception. A sink that knows which records it
 * rejected throws {@link RecordsRejectedException}.
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

  /**
   * True when {@code write} and {@code flush} may be called from several threads at once; false
   * (the default) makes the runtime serialise the calls.
   */
  default boolean isThreadSafe() {
    return false;
  }

  /** Flushes and releases resources. */
  @Override
  default void close() throws Exception {}

  /**
   * Appends each record as one line of JSON (Jackson) to {@code file}, creating it; {@code flush}
   * forces the bytes to disk ({@link Durability#FSYNC}). Not idempotent: a replayed tail is
   * appended again. Thread-safe: workers serialise their batches in parallel.
   */
  static <T> Sink<T> jsonLines(Path file) {
    return jsonLines(file, Durability.FSYNC);
  }

  /**
   * Like {@link #jsonLines(Path)} with an explicit durability: {@link Durability#FSYNC} forces the
   * file to disk on every flush, {@link Durability#OS_BUFFERED} leaves that to the operating
   * system.
   */
  static <T> Sink<T> jsonLines(Path file, Durability durability) {
    return JsonLinesFileSink.<T>builder(file).durability(durability).build();
  }

  /**
   * Like {@link #jsonLines(Path)}, serialising each value as {@code type} with {@code mapper}: the
   * bytes of a line are exactly {@code mapper.writerFor(type).writeValueAsString(value)}.
   */
  static <T> Sink<T> jsonLines(
      Path file, Class<? super T> type, com.fasterxml.jackson.databind.ObjectMapper mapper) {
    return jsonLines(file, type, mapper, Durability.FSYNC);
  }

  /**
   * Like {@link #jsonLines(Path, Class, com.fasterxml.jackson.databind.ObjectMapper)} with an
   * explicit durability.
   */
  static <T> Sink<T> jsonLines(
      Path file,
      Class<? super T> type,
      com.fasterxml.jackson.databind.ObjectMapper mapper,
      Durability durability) {
    return JsonLinesFileSink.<T>builder(file)
        .type(type)
        .mapper(mapper)
        .durability(durability)
        .build();
  }

  /** A sink that counts and drops what it gets: for benchmarks and dry runs. */
  static <T> Sink<T> discard() {
    return new DiscardingSink<>();
  }

  /** A sink from a lambda that writes one batch; the runtime calls it from one thread at a time. */
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
    };
  }

  /** Writes one batch; see {@link Sink#of(String, BatchWriter)}. */
  @FunctionalInterface
  interface BatchWriter<T> {
    void write(List<Envelope<T>> batch) throws Exception;
  }
}
