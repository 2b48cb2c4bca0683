package dev.collect.core.internal.runtime;

import dev.collect.core.Collector;
import dev.collect.core.Collector.ThrowingFunction;
import dev.collect.core.Envelope;
import dev.collect.core.ErrorClassifier;
import dev.collect.core.MalformedRecordException;
import dev.collect.core.RejectedRecordException;
import dev.collect.core.RetryPolicy;
import dev.collect.core.RunReport.Quality;
import dev.collect.core.Stage;
import dev.collect.core.Validator;
import dev.collect.core.Violation;
import dev.collect.core.spi.Failure;
import dev.collect.core.spi.Retrier;
import io.micrometer.observation.Observation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Runs one worker's records through the steps. Each output reaches the sink buffer; each failure
 * becomes a dead letter; each record a step drops counts as filtered. A step that turns one record
 * into k counts k - 1 extra received records, so that received = written + dead-lettered + filtered
 * holds per leaf. Single-threaded: one instance per worker.
 *
 * <p>The steps are chained as one node object per step, of a class for its kind, and every
 * hand-over between nodes goes through the one call site in {@link Node#push}. That site sees every
 * node class, so the JIT compiles each step on its own instead of inlining the whole chain (user
 * code, parser and validator included) into one unit, which on the clickstream benchmark took C2
 * seconds on the same two cores the workers need; the price is one virtual call per step,
 * nanoseconds against microseconds of work per record.
 */
final class RecordProcessor {
  private final WorkerContext context;
  private final Node head;
  private final List<CollectNode> collectNodes = new ArrayList<>();
  private Envelope<?> origin;

  /** Null without observations; else the observations and the current record's. */
  private final Tracing tracing;

  private Observation recordObservation;

  long expanded;
  long filtered;
  long validated;
  long invalid;

  RecordProcessor(List<Step> steps, WorkerContext context, SinkBuffer buffer, Tracing tracing) {
    this.context = context;
    this.tracing = tracing;
    Node next = new BufferNode(buffer);
    for (int i = steps.size() - 1; i >= 0; i--) {
      Step step = steps.get(i);
      next =
          switch (step.kind) {
            case COLLECT -> {
              CollectNode node = new CollectNode(step, next);
              collectNodes.add(0, node);
              yield node;
            }
            case VALIDATE -> new ValidateNode(step, next);
            case MAP -> new MapNode(step, next);
            case FILTER -> new FilterNode(step, next);
            case KEY -> new KeyNode(step, next);
          };
      if (tracing != null) {
        next = new ObservedNode(step, next);
      }
    }
    this.head = next;
  }

  void process(Envelope<?> record) {
    process(record, record);
  }

  /**
   * Runs {@code record} through the steps; {@code delivered} is the record the source delivered,
   * which differs when steps before the routing point already ran on the reader thread.
   */
  void process(Envelope<?> record, Envelope<?> delivered) {
    origin = delivered;
    if (tracing != null && tracing.observes(delivered)) {
      processObserved(record, delivered);
      return;
    }
    run(record);
  }

  private void run(Envelope<?> record) {
    if (record.failure() != null) {
      String source = record.source() == null ? "source" : record.source();
      context.deadLetter(Failure.of(record, source, Stage.SOURCE, "unreadable", record.failure()));
      return;
    }
    Node.push(head, record);
  }

  private void processObserved(Envelope<?> record, Envelope<?> delivered) {
    Observation observation = tracing.record(delivered);
    recordObservation = observation;
    try (Observation.Scope scope = observation.openScope()) {
      run(record);
    } catch (RuntimeException | Error e) {
      observation.error(e);
      throw e;
    } finally {
      recordObservation = null;
      observation.stop();
    }
  }

  /**
   * The end of a bounded input, once every record was processed: each collector in step order emits
   * what it still holds (see {@link Collector#endOfInput}). Each output is its own origin and an
   * extra received record.
   */
  void endOfInput() {
    for (CollectNode node : collectNodes) {
      node.endOfInput();
    }
  }

  /** One step of the chain; {@code accept} hands its outputs to the next node with {@code push}. */
  private abstract static class Node {
    abstract void accept(Envelope<?> record);

    /** The only call of {@code accept}: one megamorphic site, see the class comment. */
    static void push(Node node, Envelope<?> record) {
      node.accept(record);
    }
  }

  /** The end of the chain: the worker's sink buffer. */
  private final class BufferNode extends Node {
    private final SinkBuffer buffer;

    BufferNode(SinkBuffer buffer) {
      this.buffer = buffer;
    }

    @Override
    void accept(Envelope<?> record) {
      buffer.add(record, origin);
      if (tracing != null) {
        buffer.observations.add(recordObservation);
      }
    }
  }

  /**
   * A step's observation around its node. Steps hand records on by calling the next node, so a
   * step's observation also spans the steps after it.
   */
  private final class ObservedNode extends Node {
    private final Step step;
    private final Node node;

    ObservedNode(Step step, Node node) {
      this.step = step;
      this.node = node;
    }

    @Override
    void accept(Envelope<?> record) {
      if (recordObservation == null) {
        Node.push(node, record); // the record is not observed
        return;
      }
      Observation observation = tracing.stage(step, recordObservation);
      try (Observation.Scope scope = observation.openScope()) {
        Node.push(node, record);
      } catch (RuntimeException | Error e) {
        observation.error(e);
        throw e;
      } finally {
        observation.stop();
      }
    }
  }

  private final class FilterNode extends Node {
    private final Step step;
    private final Predicate<Object> predicate;
    private final Node next;

    @SuppressWarnings("unchecked") // steps are stored untyped; the typed builder checked them
    FilterNode(Step step, Node next) {
      this.step = step;
      this.predicate = (Predicate<Object>) step.function;
      this.next = next;
    }

    @Override
    void accept(Envelope<?> record) {
      boolean keep;
      try {
        keep = predicate.test(record.value());
      } catch (RuntimeException e) {
        fail(step, record, e, 1, null, 0);
        return;
      }
      if (keep) {
        Node.push(next, record);
      } else {
        filtered++;
      }
    }
  }

  /** Sets the key (or keeps it, for {@code routeByKey}); the routing itself is the reader's. */
  private final class KeyNode extends Node {
    private final Step step;
    private final Function<Object, Object> key;
    private final Node next;

    @SuppressWarnings("unchecked") // as in FilterNode
    KeyNode(Step step, Node next) {
      this.step = step;
      this.key = (Function<Object, Object>) step.function;
      this.next = next;
    }

    @Override
    void accept(Envelope<?> record) {
      if (key == null) {
        Node.push(next, record);
        return;
      }
      Object k;
      try {
        k = key.apply(record.value());
      } catch (RuntimeException e) {
        fail(step, record, e, 1, null, 0);
        return;
      }
      Node.push(next, record.withKey(k));
    }
  }

  private final class MapNode extends Node {
    private final Step step;
    private final ThrowingFunction<Object, Object> function;
    private final Node next;
    private final Retrier retrier;
    private Envelope<?> input;
    private int attempts;

    @SuppressWarnings("unchecked") // as in FilterNode
    MapNode(Step step, Node next) {
      this.step = step;
      this.function = (ThrowingFunction<Object, Object>) step.function;
      this.next = next;
      this.retrier = retrier(step, () -> true);
    }

    @Override
    void accept(Envelope<?> record) {
      Object out;
      try {
        out = function.apply(record.value());
      } catch (Exception e) {
        Instant first = context.now();
        input = record;
        attempts = 1;
        try {
          out = retrier.retryAfter(e, this::attempt);
        } catch (Exception last) {
          fail(step, record, interrupted(last), attempts, first, 0);
          return;
        }
      }
      Node.push(next, record.withValue(out));
    }

    private Object attempt(int attempt) throws Exception {
      attempts = attempt;
      return function.apply(input.value());
    }
  }

  private final class ValidateNode extends Node {
    private final Step step;
    private final Validator<Object> validator;
    private final Node next;

    @SuppressWarnings("unchecked") // as in FilterNode
    ValidateNode(Step step, Node next) {
      this.step = step;
      this.validator = (Validator<Object>) step.function;
      this.next = next;
    }

    @Override
    void accept(Envelope<?> record) {
      List<Violation> violations;
      try {
        violations = validator.validate(record.value());
      } catch (RuntimeException e) {
        fail(step, record, e, 1, null, 0);
        return;
      }
      if (++validated % Quality.SAMPLE_EVERY == 0) {
        context.quality().sample(record);
      }
      if (violations.isEmpty()) {
        Node.push(next, record);
      } else {
        invalid++;
        context.deadLetter(Failure.invalid(origin, step.name, violations));
      }
    }
  }

  /** A collector and its output port, which feeds the next node and counts emits. */
  private final class CollectNode extends Node implements Collector.Output<Object> {
    private final Step step;
    private final Collector<Object, Object> collector;
    private final Node next;
    private final Retrier retrier;
    private Envelope<?> input;
    private Envelope<?> retrying;
    private int count;
    private int attempts;

    @SuppressWarnings("unchecked") // as in FilterNode
    CollectNode(Step step, Node next) {
      this.step = step;
      this.collector = (Collector<Object, Object>) step.function;
      this.next = next;
      // Outputs emitted before a failure are on their way: such a record is not tried again.
      this.retrier = retrier(step, () -> count == 0);
    }

    @Override
    void accept(Envelope<?> record) {
      try {
        attempt(record);
      } catch (FatalPipelineError | WorkerInterrupted e) {
        throw e;
      } catch (Exception e) {
        Instant first = context.now();
        attempts = 1;
        retrying = record;
        try {
          retrier.retryAfter(e, this::retry);
        } catch (FatalPipelineError | WorkerInterrupted stop) {
          throw stop;
        } catch (Exception last) {
          fail(step, record, interrupted(last), attempts, first, count);
        }
      }
    }

    @SuppressWarnings("unchecked") // the record's value is the collector's input type
    private void attempt(Envelope<?> record) throws Exception {
      input = record;
      count = 0;
      collector.collect((Envelope<Object>) record, this);
      if (count == 0) {
        filtered++;
      } else {
        expanded += count - 1;
      }
    }

    private Object retry(int attempt) throws Exception {
      attempts = attempt;
      attempt(retrying);
      return null;
    }

    void endOfInput() {
      EndOutput out = new EndOutput(next);
      try {
        collector.endOfInput(out);
      } catch (FatalPipelineError | WorkerInterrupted e) {
        throw e;
      } catch (Exception e) {
        throw new FatalPipelineError(
            "collector '" + step.name + "' failed at the end of input: " + e.getClass().getName(),
            e);
      } finally {
        expanded += out.count;
      }
    }

    @Override
    public void emit(Object value) {
      count++;
      Node.push(next, input.withValue(value));
    }

    @Override
    public void emit(Envelope<Object> record) {
      count++;
      Node.push(next, record);
    }
  }

  /** A collector's output at the end of input, where there is no input record behind an output. */
  private final class EndOutput implements Collector.Output<Object> {
    private final Node next;
    private int count;

    EndOutput(Node next) {
      this.next = next;
    }

    @Override
    public void emit(Object value) {
      emit(Envelope.builder(value).ingestTime(context.now()).build());
    }

    @Override
    public void emit(Envelope<Object> record) {
      count++;
      origin = record;
      Node.push(next, record);
    }
  }

  /**
   * Record-stage retries of {@code step}: transient failures, while {@code retryable} holds, up to
   * the retry policy's attempts; then the record is dead-lettered (or the pipeline stops on a fatal
   * error).
   */
  private Retrier retrier(Step step, java.util.function.BooleanSupplier retryable) {
    return Retrier.of(context.retryPolicy())
        .retryOn(
            e ->
                !(e instanceof FatalPipelineError || e instanceof WorkerInterrupted)
                    && retryable.getAsBoolean()
                    && context.classify(e) == ErrorClassifier.Kind.TRANSIENT)
        .onRetry(() -> context.retried(step.stage()))
        .build();
  }

  /** A stop when the wait between attempts was interrupted; else {@code e}. */
  private static Exception interrupted(Exception e) {
    if (e instanceof InterruptedException && Thread.currentThread().isInterrupted()) {
      throw new WorkerInterrupted();
    }
    return e;
  }

  private void fail(
      Step step, Envelope<?> record, Exception e, int attempts, Instant first, int emitted) {
    ErrorClassifier.Kind kind = context.classify(e);
    if (kind == ErrorClassifier.Kind.FATAL) {
      throw new FatalPipelineError(
          "step '" + step.name + "' failed fatally: " + e.getClass().getName(), e);
    }
    // The outputs emitted before the failure are on their way: each is a leaf of its own.
    expanded += emitted;
    String reason;
    if (e instanceof RejectedRecordException rejected) {
      reason = rejected.reason();
    } else if (e instanceof MalformedRecordException
        || (step.kind == Step.Kind.COLLECT && kind == ErrorClassifier.Kind.RECORD)) {
      reason = "malformed";
    } else if (kind == ErrorClassifier.Kind.TRANSIENT) {
      reason = "retries_exhausted";
    } else {
      reason = "failed";
    }
    context.deadLetter(
        Failure.of(origin, step.name, step.stage(), reason, e)
            .attempts(kind == ErrorClassifier.Kind.TRANSIENT, attempts, first));
  }

  /** What the processor needs from its worker. */
  interface WorkerContext {
    ErrorClassifier.Kind classify(Throwable error);

    RetryPolicy retryPolicy();

    /** The pipeline clock's instant. */
    Instant now();

    void retried(Stage stage);

    QualityTracker quality();

    /**
     * Turns {@code failure} into a dead letter (or stops the pipeline without a dead-letter sink).
     */
    void deadLetter(Failure failure);
  }
}
