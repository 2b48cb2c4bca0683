package dev.collect.core.internal.runtime;

import dev.collect.core.DeadLetter;
import dev.collect.core.DeadLetterSink;
import dev.collect.core.Envelope;
import dev.collect.core.ErrorClassifier;
import dev.collect.core.RecordsRejectedException;
import dev.collect.core.RetryPolicy;
import dev.collect.core.Stage;
import dev.collect.core.spi.BoundedHandOff;
import dev.collect.core.spi.Failure;
import dev.collect.core.spi.Retrier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One worker thread: takes batches from its queue, runs their records through the steps, writes the
 * outputs to the sinks in batches (by size, bytes or linger), writes the dead letters, and only
 * then marks the batches' tickets settled. Everything here is confined to the worker thread except
 * the shared sinks and meters.
 */
final class Worker implements Runnable, RecordProcessor.WorkerContext {
  private final PipelineSpec spec;
  private final Runtime runtime;
  final BoundedHandOff<WorkItem> queue;
  private final SinkBuffer buffer;
  private final RecordProcessor processor;
  private final SinkWriter sinkWriter;
  private final List<Ticket> pending = new ArrayList<>();
  private final List<DeadLetter> deadLetters = new ArrayList<>();
  private final Retrier sinkRetries;
  private final long lingerNanos;
  private long lingerDeadline;

  /** Null without observations. */
  private final Tracing tracing;

  Worker(PipelineSpec spec, Runtime runtime) {
    this.spec = spec;
    this.runtime = runtime;
    this.queue =
        BoundedHandOff.of(
            spec.queueRecords(), spec.queueBytes(), w -> w.records().size(), WorkItem::bytes);
    this.tracing =
        spec.observations() == null
            ? null
            : new Tracing(spec.observations(), spec.name(), spec.untracedRatio());
    this.buffer = new SinkBuffer(spec.batch().maxRecords(), tracing != null);
    List<Step> steps = spec.steps();
    this.processor =
        new RecordProcessor(
            steps.subList(Step.lastRoutingStep(steps) + 1, steps.size()), this, buffer, tracing);
    this.sinkRetries =
        Retrier.withOutageBudget(spec.retry())
            .retryOn(
                e ->
                    !(e instanceof RecordsRejectedException
                            || e instanceof FatalPipelineError
                            || e instanceof WorkerInterrupted)
                        && classify(e) == ErrorClassifier.Kind.TRANSIENT)
            .onRetry(() -> retried(Stage.SINK))
            .build();
    this.sinkWriter =
        new SinkWriter(
            spec.sinks(),
            spec.batch().maxRecords(),
            spec.batch().maxBytes(),
            spec.retry().outageBudget(),
            this,
            tracing);
    this.lingerNanos = spec.batch().linger().toNanos();
  }

  @Override
  public void run() {
    try {
      loop();
    } catch (WorkerInterrupted e) {
      // A stop ran out of time: what this worker held stays unsettled and is replayed.
    } catch (Throwable t) {
      runtime.fail(t);
    }
  }

  private void loop() throws InterruptedException {
    while (!runtime.failed()) {
      long wait =
          pending.isEmpty()
              ? TimeUnit.MILLISECONDS.toNanos(100)
              : Math.max(0, lingerDeadline - System.nanoTime());
      WorkItem item = queue.poll(wait);
      if (item == WorkItem.END) {
        flush();
        return;
      }
      if (item != null) {
        process(item);
      }
      boolean full =
          buffer.size() >= spec.batch().maxRecords() || buffer.bytes >= spec.batch().maxBytes();
      if (full || (!pending.isEmpty() && System.nanoTime() - lingerDeadline >= 0)) {
        flush();
      }
    }
  }

  private void process(WorkItem item) {
    long start = System.nanoTime();
    List<Envelope<?>> records = item.records();
    List<Envelope<?>> origins = item.origins();
    for (int i = 0; i < records.size(); i++) {
      processor.process(records.get(i), origins == null ? records.get(i) : origins.get(i));
    }
    deadLetters.addAll(item.deadLetters());
    runtime.metrics().processLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    if (pending.isEmpty()) {
      lingerDeadline = start + lingerNanos;
    }
    pending.add(item.ticket());
  }

  /**
   * Runs the collectors' end of input, those before the routing point first ({@code preRouting},
   * null when the flow has none), and writes their outputs. Called by the pipeline's own thread
   * once every worker thread has ended, so nothing here races with the loop.
   */
  void endOfInput(PreRouting preRouting) {
    if (preRouting != null) {
      // Every worker has ended, so this one thread may run all of them in input order.
      preRouting.endOfInput();
      SinkBuffer outputs = preRouting.outputs();
      for (int i = 0; i < outputs.records.size(); i++) {
        processor.process(outputs.records.get(i), outputs.origins.get(i));
      }
      deadLetters.addAll(preRouting.deadLetters());
    }
    processor.endOfInput();
    flush();
  }

  /** Writes what is buffered, then settles the tickets behind it. */
  private void flush() {
    long written = 0;
    if (buffer.size() > 0) {
      Envelope<?> oldest = buffer.origins.get(0);
      written = sinkWriter.write(buffer);
      long latency = System.currentTimeMillis() - oldest.ingestTime().toEpochMilli();
      runtime.metrics().endToEnd.record(Math.max(0, latency), TimeUnit.MILLISECONDS);
      buffer.clear();
    }
    if (!deadLetters.isEmpty()) {
      writeDeadLetters();
    }
    runtime.metrics().worker(processor.expanded, written, processor.filtered);
    runtime.quality().counted(processor.validated, processor.invalid);
    processor.expanded = 0;
    processor.filtered = 0;
    processor.validated = 0;
    processor.invalid = 0;
    for (Ticket ticket : pending) {
      ticket.partSettled();
    }
    pending.clear();
  }

  private void writeDeadLetters() {
    DeadLetterSink sink = spec.deadLetters();
    List<DeadLetter> letters = List.copyOf(deadLetters);
    try {
      sinkRetries.call(
          attempt -> {
            sink.write(letters);
            return null;
          });
    } catch (FatalPipelineError | WorkerInterrupted e) {
      throw e;
    } catch (Exception e) {
      stopIfInterrupted(e);
      if (classify(e) != ErrorClassifier.Kind.TRANSIENT) {
        throw new FatalPipelineError(
            "dead-letter sink '" + sink.name() + "' failed: there is nowhere left to put records",
            e);
      }
      throw new FatalPipelineError(
          "dead-letter sink '" + sink.name() + "' kept failing for longer than the outage budget",
          e);
    }
    for (DeadLetter letter : deadLetters) {
      runtime.metrics().deadLettered(letter.stage(), letter.reason());
    }
    deadLetters.clear();
  }

  @Override
  public void deadLetter(Failure failure) {
    Envelope<?> origin = failure.record();
    deadLetters.add(
        deadLetterOrStop(
            spec,
            runtime.deadLetterFactory(),
            failure,
            tracing == null
                ? origin::headers
                : () -> tracing.deadLetterHeaders(origin.headers(), failure.reason())));
  }

  /** The dead letter of a failed record, or a stop when the pipeline has no dead-letter sink. */
  static DeadLetter deadLetterOrStop(
      PipelineSpec spec,
      DeadLetterFactory factory,
      Failure failure,
      Supplier<Map<String, String>> headers) {
    if (spec.deadLetters() == null) {
      throw new FatalPipelineError(
          "a record failed at stage "
              + failure.stage().tag()
              + " in '"
              + failure.component()
              + "' ("
              + failure.reason()
              + ") and the pipeline has no dead-letter sink: add .deadLetters(...) to keep"
              + " failed records instead of stopping",
          failure.cause());
    }
    return factory.create(failure, spec.clock().instant(), headers.get());
  }

  @Override
  public ErrorClassifier.Kind classify(Throwable error) {
    try {
      return spec.classifier().classify(error);
    } catch (RuntimeException e) {
      return ErrorClassifier.Kind.FATAL;
    }
  }

  @Override
  public Instant now() {
    return spec.clock().instant();
  }

  @Override
  public RetryPolicy retryPolicy() {
    return spec.retry();
  }

  /**
   * Sink retries: transient failures (not a sink's rejection of records), with the retry policy's
   * backoff, for at most its outage budget; each retry counted at stage {@code sink}.
   */
  Retrier sinkRetries() {
    return sinkRetries;
  }

  /** Stops the worker when {@code e} is the interrupt of a wait between attempts. */
  static void stopIfInterrupted(Exception e) {
    if (e instanceof InterruptedException && Thread.currentThread().isInterrupted()) {
      throw new WorkerInterrupted();
    }
  }

  @Override
  public void retried(Stage stage) {
    runtime.metrics().retried(stage);
  }

  @Override
  public QualityTracker quality() {
    return runtime.quality();
  }

  PipelineMetrics metrics() {
    return runtime.metrics();
  }

  /** What a worker needs from the pipeline around it. */
  interface Runtime {
    boolean failed();

    void fail(Throwable error);

    PipelineMetrics metrics();

    QualityTracker quality();

    DeadLetterFactory deadLetterFactory();
  }
}
