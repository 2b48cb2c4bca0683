package dev.collect.core.internal.runtime;

import dev.collect.core.DeadLetter;
import dev.collect.core.Envelope;
import dev.collect.core.ErrorClassifier;
import dev.collect.core.RetryPolicy;
import dev.collect.core.Stage;
import dev.collect.core.spi.Failure;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps up to a flow's last routing step ({@code keyBy}, {@code routeByKey}), run on the reader
 * thread one record at a time in source order, so that the key they leave decides each output's
 * worker and equal keys reach their worker in source order. Failures become dead letters that
 * travel with the batch to a worker, which writes them before settling it. Reader thread only.
 */
final class PreRouting implements RecordProcessor.WorkerContext {
  private final PipelineSpec spec;
  private final Worker.Runtime runtime;
  private final RecordProcessor processor;
  private final SinkBuffer outputs;
  private final Worker worker;
  private List<DeadLetter> deadLetters = new ArrayList<>();

  PreRouting(PipelineSpec spec, Worker.Runtime runtime, Worker worker, List<Step> steps) {
    this.spec = spec;
    this.runtime = runtime;
    this.worker = worker;
    this.outputs = new SinkBuffer(spec.batch().maxRecords(), false);
    this.processor = new RecordProcessor(steps, this, outputs, null);
  }

  /** The steps before the routing point of {@code spec}'s flow, or null when it has none. */
  static PreRouting of(PipelineSpec spec, Worker.Runtime runtime, Worker worker) {
    int last = Step.lastRoutingStep(spec.steps());
    return last < 0
        ? null
        : new PreRouting(spec, runtime, worker, spec.steps().subList(0, last + 1));
  }

  /** Runs {@code batch} through the steps; then {@link #outputs()} and {@link #deadLetters()}. */
  void run(List<? extends Envelope<?>> batch) {
    outputs.clear();
    deadLetters = new ArrayList<>();
    for (Envelope<?> record : batch) {
      processor.process(record);
    }
    countProcessed();
  }

  /**
   * The end of a bounded input: the collectors before the routing point emit what they still hold
   * (see {@link dev.collect.core.Collector#endOfInput}); then {@link #outputs()} and {@link
   * #deadLetters()}.
   */
  void endOfInput() {
    outputs.clear();
    deadLetters = new ArrayList<>();
    processor.endOfInput();
    countProcessed();
  }

  private void countProcessed() {
    runtime.metrics().worker(processor.expanded, 0, processor.filtered);
    runtime.quality().counted(processor.validated, processor.invalid);
    processor.expanded = 0;
    processor.filtered = 0;
    processor.validated = 0;
    processor.invalid = 0;
  }

  /** The last run's outputs, each with its source record. */
  SinkBuffer outputs() {
    return outputs;
  }

  /** The last run's dead letters, for a worker to write. */
  List<DeadLetter> deadLetters() {
    return deadLetters;
  }

  // Retry decisions and meters are the workers': none of these touches a worker's own state.
  @Override
  public ErrorClassifier.Kind classify(Throwable error) {
    return worker.classify(error);
  }

  @Override
  public java.time.Instant now() {
    return worker.now();
  }

  @Override
  public RetryPolicy retryPolicy() {
    return worker.retryPolicy();
  }

  @Override
  public void retried(Stage stage) {
    worker.retried(stage);
  }

  @Override
  public QualityTracker quality() {
    return worker.quality();
  }

  @Override
  public void deadLetter(Failure failure) {
    deadLetters.add(
        Worker.deadLetterOrStop(
            spec, runtime.deadLetterFactory(), failure, failure.record()::headers));
  }
}
