package dev.collect.core.internal.runtime;

/** Unwinds a worker that was interrupted by a stop that ran out of time. */
final class WorkerInterrupted extends RuntimeException {
  private static final long serialVersionUID = 1L;

  WorkerInterrupted() {
    super("worker interrupted", null, false, false);
  }
}
