package dev.collect.stream.support;

import dev.collect.core.Pipeline;
import java.util.concurrent.TimeUnit;

/** Waiting on a started pipeline in the tests. */
public final class Pipelines {
  private Pipelines() {}

  /** Starts the pipeline and {@linkplain #awaitReady waits until it is ready}. */
  public static void startReady(Pipeline pipeline) throws InterruptedException {
    pipeline.start();
    awaitReady(pipeline);
  }

  /**
   * Waits until the pipeline's source is ready (for a broker's source: connected and subscribed),
   * at most ten seconds; the test's own assertions then tell a pipeline that never got ready.
   */
  public static void awaitReady(Pipeline pipeline) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!pipeline.isReady() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }
}
