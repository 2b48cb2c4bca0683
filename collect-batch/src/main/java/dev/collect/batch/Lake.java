package dev.collect.batch;

import dev.collect.batch.internal.lake.LakeSink;
import dev.collect.core.Sink;

/**
 * Data-lake sinks. {@link #sink} writes records into a directory tree with Hive-style partitions
 * ({@code root/event_date=2026-11-24/part-<run>-00001.parquet}) as JSON Lines, CSV or Parquet.
 *
 * <p>Guarantees: a file appears atomically (written under a hidden temporary name, fsynced, renamed
 * into place), so readers never see half a file; every {@link Sink#flush()} publishes the open
 * files, so a committed source position is always backed by published files. With the pipeline's
 * source wrapped in {@link LakeWriter#committing(dev.collect.core.Source)}, the sink is idempotent
 * across a crash: each published file is accompanied by the fingerprints of its records' source
 * positions, the sink learns which positions were committed, and a restarted sink skips replayed
 * records it already published; so a run killed at any point and restarted leaves every record in
 * the lake exactly once (given deterministic source positions, as the file, JDBC and HTTP sources
 * of this module have). Without the wrapper, a crash between a flush and the source's commit
 * replays that tail into new files (at-least-once). A completed run writes a manifest to {@code
 * root/_collect/runs/<run>/manifest.json}; stale temporary files of a crashed run are deleted when
 * the next run opens.
 *
 * <p>Several sinks, in one process or several, may write one root at once: each run creates its own
 * run directory (so file names, which carry the run's id, and manifests never collide) and holds an
 * OS file lock on it while open, so another sink never deletes a live run's temporary files or
 * absorbs its published records; a crashed run's records are absorbed only by a later run with the
 * same {@link LakeSinkConfig.Builder#writer(String) writer} name. Give each concurrent writer of a
 * root its own writer name and its own source slice. The locks need a local file system (not NFS).
 *
 * <p>Records may be {@code Map}s, Avro records (see {@link LakeSinkConfig.Builder#avroSchema}) or
 * any type Jackson converts to a map. Not thread-safe (the runtime serialises calls); one sink per
 * writer name and root at a time.
 */
public final class Lake {
  private Lake() {}

  /** A sink writing into the lake {@code config} describes. */
  public static <T> LakeWriter<T> sink(LakeSinkConfig config) {
    return new LakeSink<>(config);
  }
}
