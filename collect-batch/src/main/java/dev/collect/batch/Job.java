package dev.collect.batch;

import dev.collect.core.Pipeline;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A named pipeline with a schedule. The pipeline factory is called once per run (a pipeline runs
 * once) and must build a bounded pipeline whose {@link Pipeline#run()} returns.
 *
 * @param name the job's name, unique in a scheduler and in its checkpoint store
 * @param pipeline builds the pipeline of one run
 * @param schedule when it runs
 * @param missedRuns what to do about fire times missed while the scheduler was down
 */
public record Job(
    String name, Supplier<Pipeline> pipeline, Schedule schedule, MissedRunPolicy missedRuns) {
  public Job {
    if (name == null || name.isBlank() || name.length() > 100) {
      throw new IllegalArgumentException(
          "job name must be 1 to 100 characters, but was '" + name + "'");
    }
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(missedRuns, "missedRuns");
  }

  /** A job that runs one catch-up run for missed fire times ({@link MissedRunPolicy#RUN_ONCE}). */
  public static Job of(String name, Schedule schedule, Supplier<Pipeline> pipeline) {
    return new Job(name, pipeline, schedule, MissedRunPolicy.RUN_ONCE);
  }
}
