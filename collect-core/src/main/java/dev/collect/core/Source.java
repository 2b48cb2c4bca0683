package dev.collect.core;

import dev.collect.core.internal.io.DeadLetterFileSource;
import dev.collect.core.internal.io.JsonLinesFileSource;
import dev.collect.core.internal.io.ListSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Where records come from. The runtime calls every method of a source from one thread, its reader
 * thread, so a source need not be thread-safe (a Kafka consumer is not).
 *
 * <p>Lifecycle: {@link #open(PipelineContext)} once, then {@link #poll} until {@link #isFinished()}
 * (bounded sources) or until the pipeline stops, interleaved with {@link #commit(Position)}; then
 * {@link #close()}.
 *
 * <p>Checkpoints: a source that resumes keeps its position in the pipeline's checkpoint store
 * ({@link PipelineContext#checkpoints()}) unless it was configured with a store of its own, under a
 * stable key its factory documents.
 *
 * <p>Delivery: the runtime calls {@code commit(p)} only when the envelope at position {@code p} and
 * every envelope this source delivered before it are settled (written, dead-lettered or filtered).
 * A source that resumes after a restart from its last committed position therefore redelivers only
 * records that were not settled: at-least-once.
 *
 * @param <R> the type of the raw values this source yields
 */
public interface Source<R> extends AutoCloseable {

  /** A name for metrics, logs and dead letters. */
  String name();

  /** Connects, opens files, loads the checkpoint. Called once before the first poll. */
  default void open(PipelineContext context) throws Exception {}

  /**
   * Returns up to {@code maxRecords} envelopes, waiting at most {@code timeout} for the first one.
   * Returns an empty list when nothing arrived in time or the source is finished.
   *
   * @throws InterruptedException when the reader thread is interrupted (the pipeline stops)
   * @throws Exception a source-level failure: retried per the pipeline's retry policy when the
   *     classifier says it is transient, else it fails the pipeline
   */
  List<Envelope<R>> poll(int maxRecords, Duration timeout) throws Exception;

  /**
   * Like {@link #poll(int, Duration)}, also bounded in bytes: the runtime calls this one, with the
   * pipeline's {@link BatchPolicy#maxBytes()}. A source stops adding envelopes once those it holds
   * reach {@code maxBytes} of {@link Envelope#sizeEstimate()}, so a poll returns at least one
   * envelope and at most one past the bound. The file sources of Collect's modules honour it; the
   * default ignores {@code maxBytes}, for sources whose polls are bounded in bytes elsewhere (a
   * Kafka consumer's fetch sizes, a push source's bounded buffer).
   */
  default List<Envelope<R>> poll(int maxRecords, long maxBytes, Duration timeout) throws Exception {
    return poll(maxRecords, timeout);
  }

  /** True once a bounded source has delivered everything; unbounded sources return false. */
  default boolean isFinished() {
    return false;
  }

  /**
   * Everything this source delivered up to and including the envelope at {@code position} is
   * settled: store it (a checkpoint, a Kafka offset, an MQTT ack, a Debezium offset).
   */
  default void commit(Position position) throws Exception {}

  @Override
  default void close() throws Exception {}

  /** An in-memory, bounded source over the given values, positions being their indexes. */
  @SafeVarargs
  static <R> Source<R> of(R... values) {
    return new ListSource<>("memory", List.of(values));
  }

  /** An in-memory, bounded source over the given values, positions being their indexes. */
  static <R> Source<R> fromList(String name, List<R> values) {
    return new ListSource<>(name, values);
  }

  /**
   * A JSON Lines file: each {@code \n}-terminated line as raw bytes (the line without its
   * terminator), positions being {@link FilePosition}s. Bounded. Pair it with {@link
   * Collector#json(Class)}. It resumes from the pipeline's checkpoint store ({@link
   * PipelineBuilder#checkpoints(CheckpointStore)}), where its position is kept under {@code
   * jsonlines:} followed by the file's absolute, normalized path ({@code jsonlines:sha256:} and the
   * path's SHA-256 when that would pass 200 characters). Lines over 1 MiB are dead-lettered.
   */
  static Source<byte[]> jsonLines(Path file) {
    return JsonLinesFileSource.builder(file).build();
  }

  /**
   * Reads back a dead-letter file written by {@link DeadLetterSink#jsonLines(Path)}: each envelope
   * holds the original raw payload, with the dead letter's source metadata as headers, for replay
   * through a fixed pipeline.
   */
  static Source<byte[]> deadLetters(Path file) {
    return new DeadLetterFileSource(file);
  }
}
