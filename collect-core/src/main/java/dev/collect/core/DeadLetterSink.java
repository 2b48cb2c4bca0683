package dev.collect.core;

import dev.collect.core.internal.io.JsonLinesDeadLetterSink;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Where failed records go. A pipeline must have one before its first failure: a pipeline without a
 * dead-letter sink stops at the first record it cannot write, like Kafka Connect's {@code
 * errors.tolerance=none}, rather than drop it.
 *
 * <p>Called from several worker threads at once (implementations must be thread-safe) and flushed
 * from the reader thread before positions are committed. A failing dead-letter sink stops the
 * pipeline: there is nowhere left to put the record.
 */
public interface DeadLetterSink extends AutoCloseable {

  /** A name for metrics and logs. */
  String name();

  /** Called once before the first write. */
  default void open(PipelineContext context) throws Exception {}

  /** Writes dead letters, in order. */
  void write(List<DeadLetter> letters) throws Exception;

  /** Makes everything written so far durable. */
  default void flush() throws Exception {}

  @Override
  default void close() throws Exception {}

  /**
   * One JSON object per line, the full {@link DeadLetter} (every field, in its order), appended to
   * {@code file}; {@code flush} forces the file to disk. {@link Source#deadLetters(Path)} reads
   * such a file back for replay.
   */
  static DeadLetterSink jsonLines(Path file) {
    return new JsonLinesDeadLetterSink(file);
  }

  /**
   * Like {@link #jsonLines(Path)}, keeping only the named {@link DeadLetter} fields of each dead
   * letter ({@code Set.of("pipeline", "reason", "errorMessage", "position")}), in DeadLetter's
   * order. A file without {@code payload} cannot be replayed by {@link Source#deadLetters(Path)}.
   *
   * @throws IllegalArgumentException if {@code fields} is empty or names a field DeadLetter lacks
   */
  static DeadLetterSink jsonLines(Path file, Set<String> fields) {
    return new JsonLinesDeadLetterSink(file, JsonLinesDeadLetterSink.fields(fields));
  }

  /**
   * Like {@link #jsonLines(Path)}, writing what {@code formatter} returns for each dead letter as
   * one line of JSON (Collect's mapper: records, maps and Jackson trees as objects, times as
   * ISO-8601). The formatter is called from several worker threads at once; an exception from it
   * fails the write, and so the pipeline, like any dead-letter sink failure.
   */
  static DeadLetterSink jsonLines(Path file, Function<? super DeadLetter, ?> formatter) {
    return new JsonLinesDeadLetterSink(file, Objects.requireNonNull(formatter, "formatter"));
  }
}
