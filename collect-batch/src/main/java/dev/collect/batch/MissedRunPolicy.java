package dev.collect.batch;

/**
 * What a scheduler does when it starts and finds that fire times passed while it was not running
 * (the process was down, or a run overran the next slot).
 */
public enum MissedRunPolicy {
  /** Forget missed fire times and wait for the next one. */
  SKIP,
  /** Run once at once for all missed fire times together, then follow the schedule. */
  RUN_ONCE
}
