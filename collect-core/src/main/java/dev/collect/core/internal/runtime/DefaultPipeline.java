package dev.collect.core.internal.runtime;

import dev.collect.core.CollectException;
import dev.collect.core.Collector;
import dev.collect.core.Pipeline;
import dev.collect.core.PipelineContext;
import dev.collect.core.PipelineFailedException;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import dev.collect.core.spi.DaemonThreads;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pipeline's lifecycle: opens the parts, starts the reader and the workers, and on the way out
 * drains, flushes, commits and closes. Reports are built from the counters at any time.
 */
public final class DefaultPipeline implements Pipeline, Worker.Runtime {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultPipeline.class);

  enum State {
    NEW,
    STARTING,
    RUNNING,
    DRAINING,
    COMPLETED,
    STOPPED,
    FAILED
  }

  private final PipelineSpec spec;
  private final PipelineMetrics metrics;
  private final QualityTracker quality = new QualityTracker();
  private final DeadLetterFactory deadLetterFactory;
  private final Worker[] workers;
  private final Thread[] workerThreads;
  private final Reader reader;
  private final CompletableFuture<RunReport> done = new CompletableFuture<>();
  private volatile State state = State.NEW;
  private volatile Throwable failure;
  private volatile Instant startedAt;
  private volatile long startNanos;
  private volatile long endNanos;
  private ScheduledExecutorService progress;

  public DefaultPipeline(PipelineSpec spec) {
    this.spec = spec;
    this.metrics = new PipelineMetrics(spec.registry(), spec.name(), spec.source().name());
    this.deadLetterFactory =
        new DeadLetterFactory(
            spec.name(), spec.version(), spec.schemaVersion(), spec.deadLetterPrivacy());
    this.workers = new Worker[spec.workers()];
    this.workerThreads = new Thread[spec.workers()];
    for (int i = 0; i < workers.length; i++) {
      workers[i] = new Worker(spec, this);
      workerThreads[i] = new Thread(workers[i], "collect-" + spec.name() + "-worker-" + i);
      workerThreads[i].setDaemon(true);
    }
    this.reader = new Reader(spec, this, workers);
    Gauge.builder(dev.collect.core.MetricNames.BUFFER_FILL, workers, DefaultPipeline::queued)
        .description("Records waiting in the workers' queues")
        .tags(metrics.tags())
        .register(spec.registry());
    Gauge.builder(dev.collect.core.MetricNames.QUALITY_SCORE, quality, QualityTracker::score)
        .description("Share of validated records that were valid")
        .tags(metrics.tags())
        .register(spec.registry());
  }

  private static double queued(Worker[] workers) {
    long n = 0;
    for (Worker w : workers) {
      n += w.queue.records();
    }
    return n;
  }

  @Override
  public String name() {
    return spec.name();
  }

  @Override
  public RunReport run() {
    start();
    RunReport report;
    try {
      report = done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return stop(Duration.ofSeconds(30));
    } catch (ExecutionException e) {
      throw new CollectException(
          "pipeline '" + spec.name() + "' failed: " + e.getCause(), e.getCause());
    }
    return throwIfFailed(report);
  }

  private RunReport throwIfFailed(RunReport report) {
    if (report.status() == RunReport.Status.FAILED) {
      throw new PipelineFailedException(
          "pipeline '" + spec.name() + "' failed: " + report.failure(), failure, report);
    }
    return report;
  }

  @Override
  public synchronized void start() {
    if (state != State.NEW) {
      throw new IllegalStateException(
          "pipeline '" + spec.name() + "' was already started; build a new one to run again");
    }
    state = State.STARTING;
    startedAt = spec.clock().instant();
    startNanos = System.nanoTime();
    Thread thread = new Thread(this::main, "collect-" + spec.name() + "-reader");
    thread.setDaemon(true);
    thread.start();
    if (spec.progress() != null) {
      progress =
          Executors.newSingleThreadScheduledExecutor(
              DaemonThreads.named("collect-" + spec.name() + "-progress"));
      long every = spec.progressInterval().toMillis();
      progress.scheduleAtFixedRate(
          () -> spec.progress().accept(report()), every, every, TimeUnit.MILLISECONDS);
    }
  }

  private void main() {
    try {
      open();
      for (Thread t : workerThreads) {
        t.start();
      }
      state = State.RUNNING;
      LOG.info("pipeline '{}' started with {} worker(s)", spec.name(), workers.length);
      reader.readUntilDone();
      state = State.DRAINING;
      boolean drained = drainWorkers();
      if (drained && reader.sourceFinished() && !failed()) {
        // Every worker has ended: the collectors' end of input runs here, before the last commit.
        reader.endOfInput();
      }
      if (!failed()) {
        reader.commitSettled(true);
      } else {
        reader.commitSettledQuietly();
      }
    } catch (Throwable t) {
      fail(t);
      interruptWorkers();
    } finally {
      reader.close();
      closeAll();
      endNanos = System.nanoTime();
      if (progress != null) {
        progress.shutdownNow();
      }
      state = failed() ? State.FAILED : reader.stopRequested() ? State.STOPPED : State.COMPLETED;
      RunReport report = report();
      if (failed()) {
        LOG.warn("pipeline '{}' failed: {}", spec.name(), report.failure());
      } else {
        LOG.info(
            "pipeline '{}' {}: {} received, {} written, {} dead-lettered, {} filtered",
            spec.name(),
            state.name().toLowerCase(java.util.Locale.ROOT),
            report.received(),
            report.written(),
            report.deadLettered(),
            report.filtered());
      }
      done.complete(report);
    }
  }

  @SuppressWarnings("unchecked")
  private void open() throws Exception {
    PipelineContext context =
        new PipelineContext(
            spec.name(),
            spec.registry(),
            spec.checkpoints(),
            metrics::retried,
            failure ->
                deadLetterFactory.create(
                    failure, spec.clock().instant(), failure.record().headers()),
            spec.clock());
    spec.source().open(context);
    for (Step step : spec.steps()) {
      if (step.kind == Step.Kind.COLLECT) {
        ((Collector<Object, Object>) step.function).open(context);
      }
    }
    for (Sink<?> sink : spec.sinks()) {
      sink.open(context);
    }
    if (spec.deadLetters() != null) {
      spec.deadLetters().open(context);
    }
  }

  /**
   * Lets the workers finish what is queued, committing as they go, until they are done, a stop's
   * deadline passes (a stop may arrive while draining) or a failure. True when every worker
   * finished its queue. After a bounded source finished, nothing is committed meanwhile.
   */
  private boolean drainWorkers() throws Exception {
    for (Worker w : workers) {
      w.queue.addUnbounded(WorkItem.END);
    }
    long failedAt = 0;
    for (Thread t : workerThreads) {
      while (t.isAlive()) {
        t.join(20);
        long deadline = reader.stopDeadlineNanos();
        if (deadline != 0 && System.nanoTime() - deadline > 0) {
          interruptWorkers();
          return false;
        }
        if (failed()) {
          failedAt = failedAt == 0 ? System.nanoTime() : failedAt;
          if (System.nanoTime() - failedAt > 1_000_000_000L) {
            interruptWorkers();
            return false;
          }
        } else if (!reader.sourceFinished()) {
          // A finished source's last positions wait for the collectors' end of input (main).
          reader.commitSettled(false);
        }
      }
    }
    return !failed();
  }

  private void interruptWorkers() {
    for (Thread t : workerThreads) {
      if (t.isAlive()) {
        t.interrupt();
        try {
          t.join(5000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void closeAll() {
    closeQuietly("source '" + spec.source().name() + "'", spec.source());
    for (Sink<?> sink : spec.sinks()) {
      closeQuietly("sink '" + sink.name() + "'", sink);
    }
    if (spec.deadLetters() != null) {
      closeQuietly("dead-letter sink '" + spec.deadLetters().name() + "'", spec.deadLetters());
    }
  }

  private void closeQuietly(String what, AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.warn("closing {} of pipeline '{}' failed: {}", what, spec.name(), e.getClass().getName());
      if (failure == null) {
        fail(e);
      }
    }
  }

  @Override
  public RunReport stop(Duration timeout) {
    synchronized (this) {
      if (state == State.NEW) {
        state = State.STOPPED;
        RunReport report = report();
        done.complete(report);
        return report;
      }
    }
    reader.requestStop(System.nanoTime() + timeout.toNanos());
    try {
      return done.get(timeout.toMillis() + 10_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return report();
    } catch (ExecutionException | TimeoutException e) {
      return report();
    }
  }

  @Override
  public RunReport awaitTermination(Duration timeout) throws InterruptedException {
    try {
      return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return report();
    }
  }

  @Override
  public CompletableFuture<Void> flush() {
    return reader.requestFlush();
  }

  @Override
  public boolean isLive() {
    return state != State.FAILED && failure == null;
  }

  @Override
  public boolean isReady() {
    return state == State.RUNNING && failure == null && !reader.stopRequested();
  }

  @Override
  public RunReport report() {
    long end = endNanos != 0 ? endNanos : System.nanoTime();
    Duration elapsed = startNanos == 0 ? Duration.ZERO : Duration.ofNanos(end - startNanos);
    Duration p50 = Duration.ZERO;
    Duration p99 = Duration.ZERO;
    for (ValueAtPercentile v : metrics.endToEnd.takeSnapshot().percentileValues()) {
      Duration d = Duration.ofNanos((long) v.value(TimeUnit.NANOSECONDS));
      if (v.percentile() == 0.5) {
        p50 = d;
      } else if (v.percentile() == 0.99) {
        p99 = d;
      }
    }
    RunReport.Status status =
        switch (state) {
          case COMPLETED -> RunReport.Status.COMPLETED;
          case STOPPED -> RunReport.Status.STOPPED;
          case FAILED -> RunReport.Status.FAILED;
          default -> failure != null ? RunReport.Status.FAILED : RunReport.Status.RUNNING;
        };
    long source = metrics.sourceRecords.sum();
    return new RunReport(
        spec.name(),
        status,
        source,
        source + metrics.expansions.sum(),
        metrics.written.sum(),
        metrics.deadLettered.sum(),
        metrics.filtered.sum(),
        metrics.retried.sum(),
        metrics.deadLettersByReason(),
        startedAt == null ? spec.clock().instant() : startedAt,
        elapsed,
        p50,
        p99,
        quality.snapshot(),
        failure == null ? null : describe(failure));
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    if (message == null) {
      return t.getClass().getName();
    }
    // An Error's message alone ("Java heap space") does not say what happened.
    return t instanceof Error ? t.getClass().getName() + ": " + message : message;
  }

  @Override
  public boolean failed() {
    return failure != null;
  }

  @Override
  public synchronized void fail(Throwable error) {
    if (failure == null) {
      failure = error;
    }
  }

  @Override
  public PipelineMetrics metrics() {
    return metrics;
  }

  @Override
  public QualityTracker quality() {
    return quality;
  }

  @Override
  public DeadLetterFactory deadLetterFactory() {
    return deadLetterFactory;
  }
}
