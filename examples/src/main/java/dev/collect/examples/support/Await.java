package dev.collect.examples.support;

import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import java.time.Duration;
import java.util.function.Predicate;

/** Waiting on a started, unbounded pipeline, as the example mains do. */
public final class Await {
  private Await() {}

  /**
   * Returns once the pipeline takes records (its source is connected and subscribed); stops it and
   * fails with {@code hint} when it failed or did not get there within {@code timeout}.
   */
  public static void ready(Pipeline pipeline, Duration timeout, String hint)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!pipeline.isReady()) {
      if (!pipeline.isLive() || System.nanoTime() > deadline) {
        RunReport report = pipeline.stop(Duration.ofSeconds(10));
        throw new IllegalStateException(
            "pipeline '" + pipeline.name() + "' did not start: " + report.failure() + " " + hint);
      }
      Thread.sleep(20);
    }
  }

  /**
   * Waits until {@code done} holds for the pipeline's report with nothing in flight (or the
   * pipeline ended, or {@code timeout} passed), then stops it and returns the final report.
   */
  public static RunReport settledThenStop(
      Pipeline pipeline, Predicate<RunReport> done, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      RunReport now = pipeline.report();
      if (now.status() != RunReport.Status.RUNNING || (done.test(now) && now.inFlight() == 0)) {
        break;
      }
      Thread.sleep(50);
    }
    return pipeline.stop(Duration.ofSeconds(30));
  }
}
