package dev.collect.core.internal.runtime;

import dev.collect.core.Collector;
import dev.collect.core.Collector.ThrowingFunction;
import dev.collect.core.Envelope;
import dev.collect.core.ErrorClassifier;
import dev.collect.core.MalformedRecordException;
import dev.collect.core.RejectedRecordException;
import dev.collect.core.RunReport.Quality;
import dev.collect.core.Stage;
import dev.collect.core.Validator;
import dev.collect.core.Violation;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * Runs one worker's records through the steps. Each output reaches the sink buffer; each failure
 * becomes a dead letter; each record a step drops counts as filtered. A step that turns one record
 * into k counts k - 1 extra received records, so that received = written + dead-lettered + filtered
 * holds per leaf. Single-threaded: one instance per worker.
 */
final class RecordProcessor {
  private final Step[] steps;
  private final Emitter[] emitters;
  private final WorkerContext context;
  private final SinkBuffer buffer;
  private Envelope<?> origin;

  long expanded;
  long filtered;
  long validated;
  long invalid;

  RecordProcessor(List<Step> steps, WorkerContext context, SinkBuffer buffer) {
    this.steps = steps.toArray(new Step[0]);
    this.context = context;
    this.buffer = buffer;
    this.emitters = new Emitter[this.steps.length];
    for (int i = 0; i < emitters.length; i++) {
      emitters[i] = new Emitter(i + 1);
    }
  }

  void process(Envelope<?> record) {
    origin = record;
    if (record.failure() != null) {
      String source = record.source() == null ? "source" : record.source();
      context.deadLetter(
          record, source, Stage.SOURCE, "unreadable", record.failure(), List.of(), false, 1, null);
      return;
    }
    run(0, record);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void run(int index, Envelope<?> record) {
    if (index == steps.length) {
      buffer.add(record, origin);
      return;
    }
    Step step = steps[index];
    switch (step.kind) {
      case VALIDATE -> validate(index, step, record);
      case FILTER -> {
        boolean keep;
        try {
          keep = ((Predicate) step.function).test(record.value());
        } catch (RuntimeException e) {
          fail(step, record, e, 1, null, 0);
          return;
        }
        if (keep) {
          run(index + 1, record);
        } else {
          filtered++;
        }
      }
      case MAP -> {
        Object out = null;
        Instant first = null;
        for (int attempt = 1; ; attempt++) {
          try {
            out = ((ThrowingFunction) step.function).apply(record.value());
            break;
          } catch (Exception e) {
            first = first == null ? Instant.now() : first;
            if (!retry(step, record, e, attempt, first, 0)) {
              return;
            }
          }
        }
        run(index + 1, record.withValue(out));
      }
      case COLLECT -> collect(index, step, record);
    }
  }

  // Steps are stored untyped; the typed builder guaranteed each step's input type.
  @SuppressWarnings("unchecked")
  private void validate(int index, Step step, Envelope<?> record) {
    List<Violation> violations;
    try {
      violations = ((Validator<Object>) step.function).validate(record.value());
    } catch (RuntimeException e) {
      fail(step, record, e, 1, null, 0);
      return;
    }
    if (++validated % Quality.SAMPLE_EVERY == 0) {
      context.quality().sample(record);
    }
    if (violations.isEmpty()) {
      run(index + 1, record);
    } else {
      invalid++;
      context.deadLetter(
          origin, step.name, Stage.VALIDATE, "invalid", null, violations, false, 1, null);
    }
  }

  @SuppressWarnings("unchecked") // as in validate
  private void collect(int index, Step step, Envelope<?> record) {
    Emitter emitter = emitters[index];
    Instant first = null;
    for (int attempt = 1; ; attempt++) {
      emitter.input = record;
      emitter.count = 0;
      try {
        ((Collector<Object, Object>) step.function).collect((Envelope<Object>) record, emitter);
        if (emitter.count == 0) {
          filtered++;
        } else {
          expanded += emitter.count - 1;
        }
        return;
      } catch (FatalPipelineError | WorkerInterrupted e) {
        throw e;
      } catch (Exception e) {
        first = first == null ? Instant.now() : first;
        if (!retry(step, record, e, attempt, first, emitter.count)) {
          return;
        }
      }
    }
  }

  /**
   * Decides after a failed attempt: true to try again (a transient failure, attempts left, nothing
   * emitted yet); else the record is dead-lettered (or the pipeline stops on a fatal error).
   */
  private boolean retry(
      Step step, Envelope<?> record, Exception e, int attempt, Instant first, int emitted) {
    ErrorClassifier.Kind kind = context.classify(e);
    if (kind == ErrorClassifier.Kind.TRANSIENT && emitted == 0 && attempt < context.maxAttempts()) {
      context.retried(step.stage());
      context.pause(attempt);
      return true;
    }
    fail(step, record, e, attempt, first, emitted);
    return false;
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
        origin,
        step.name,
        step.stage(),
        reason,
        e,
        List.of(),
        kind == ErrorClassifier.Kind.TRANSIENT,
        attempts,
        first);
  }

  /** A step's output port: feeds the next step, counting emits. Reused for every record. */
  private final class Emitter implements Collector.Output<Object> {
    private final int next;
    Envelope<?> input;
    int count;

    Emitter(int next) {
      this.next = next;
    }

    @Override
    public void emit(Object value) {
      count++;
      run(next, input.withValue(value));
    }

    @Override
    public void emit(Envelope<Object> record) {
      count++;
      run(next, record);
    }
  }

  /** What the processor needs from its worker. */
  interface WorkerContext {
    ErrorClassifier.Kind classify(Throwable error);

    int maxAttempts();

    void pause(int attempt);

    void retried(Stage stage);

    QualityTracker quality();

    void deadLetter(
        Envelope<?> origin,
        String component,
        Stage stage,
        String reason,
        Throwable error,
        List<Violation> violations,
        boolean retryable,
        int attempts,
        Instant firstFailure);
  }
}
