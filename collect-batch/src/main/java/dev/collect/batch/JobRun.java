package dev.collect.batch;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One run of a job, as kept in its history.
 *
 * @param job the job's name
 * @param trigger {@code schedule}, {@code missed} (a catch-up run), {@code manual} ({@link
 *     JobScheduler#runNow(String)}) or {@code takeover} (a clustered run taken over from an
 *     instance whose lease expired)
 * @param scheduledFor the fire time it ran for, or null for a manual run
 * @param startedAt when it started
 * @param endedAt when it ended
 * @param outcome how it ended
 * @param received records received
 * @param written records written
 * @param deadLettered records dead-lettered
 * @param filtered records filtered
 * @param failure why it failed, or null
 * @param instance the {@link SchedulerCluster#instance()} that ran it to its end, or null for a
 *     scheduler without a cluster
 */
public record JobRun(
    String job,
    String trigger,
    @Nullable Instant scheduledFor,
    Instant startedAt,
    Instant endedAt,
    Outcome outcome,
    long received,
    long written,
    long deadLettered,
    long filtered,
    @Nullable String failure,
    @Nullable String instance) {

  /** How a run ended. */
  public enum Outcome {
    COMPLETED,
    FAILED,
    /** Not run because the previous run of the same job was still going. */
    SKIPPED_OVERLAP
  }
}
