package dev.collect.core;

import dev.collect.core.internal.io.JsonLinesDeadLetterSink;
import java.nio.file.Path;
import java.util.List;

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

  /** One JSON object per line (the {@link DeadLetter} fields) appended to {@code file}. */
  static DeadLetterSink jsonLines(Path file) {
    return new JsonLinesDeadLetterSink(file);
  }
}
