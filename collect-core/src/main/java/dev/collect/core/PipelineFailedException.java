package dev.collect.core;

/**
 * A pipeline stopped because of a failure it could not route to a dead letter: a sink outage longer
 * than the budget, a failing dead-letter sink, a source that broke. Positions after the last
 * settled record were not committed, so a restart replays them. The report tells how far the run
 * got.
 */
public class PipelineFailedException extends CollectException {
  private static final long serialVersionUID = 1L;

  private final transient RunReport report;

  public PipelineFailedException(String message, Throwable cause, RunReport report) {
    super(message, cause);
    this.report = report;
  }

  /** What the run did before it failed. */
  public RunReport report() {
    return report;
  }
}
