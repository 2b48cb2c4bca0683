package dev.collect.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A running or runnable chain from one {@link Source} through collectors, validators and transforms
 * to one or more {@link Sink}s, with dead letters, retries, metrics and checkpoints.
 *
 * <pre>{@code
 * RunReport report = Pipeline.from(Source.jsonLines(in))
 *     .collect(Collector.json(Click.class))
 *     .validate(Validator.bean(Click.class))
 *     .to(Sink.jsonLines(out))
 *     .deadLetters(DeadLetterSink.jsonLines(dlq))
 *     .build()
 *     .run();
 * }</pre>
 *
 * <p>Guarantees: every record received ends written, dead-lettered or filtered ({@link
 * RunReport#received()} = written + deadLettered + filtered); a source position is committed only
 * after everything up to it is settled and the sinks were flushed (at-least-once, resumable);
 * polls, queues and sink batches are bounded in records and bytes; records with equal keys at the
 * flow's routing point are processed and written in source order, also with several workers (see
 * {@link Envelope} for which key decides).
 *
 * <p>A pipeline runs once: {@link #run()} for bounded sources, or {@link #start()} and later {@link
 * #stop(Duration)}. Its methods are thread-safe.
 */
public interface Pipeline extends AutoCloseable {

  /** Starts describing a pipeline that reads from {@code source}. */
  static <R> Flow<R> from(Source<R> source) {
    return Flow.start(source);
  }

  /** The pipeline's name, the {@code pipeline} tag of its meters. */
  String name();

  /**
   * Runs until a bounded source is finished and everything is written, then returns the report.
   *
   * @throws PipelineFailedException when a failure stopped the run (the report is attached)
   */
  RunReport run();

  /** Starts in the background and returns at once; see {@link #awaitTermination(Duration)}. */
  void start();

  /**
   * Stops intake, drains what is in flight, flushes sinks, commits positions and closes everything,
   * waiting at most {@code timeout}; the report says what could not be drained.
   */
  RunReport stop(Duration timeout);

  /** Waits for a started pipeline to end by itself (a bounded source finished, or a failure). */
  RunReport awaitTermination(Duration timeout) throws InterruptedException;

  /** Completes when everything accepted so far is written and the sinks were flushed. */
  CompletableFuture<Void> flush();

  /** False once the pipeline failed: restart it. */
  boolean isLive();

  /** True while the pipeline takes records: not while starting, draining or stopped. */
  boolean isReady();

  /** The counts so far. */
  RunReport report();

  /** {@link #stop(Duration)} with 30 seconds. */
  @Override
  default void close() {
    stop(Duration.ofSeconds(30));
  }
}
