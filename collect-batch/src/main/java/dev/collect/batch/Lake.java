package dev.collect.batch;

import dev.collect.batch.internal.lake.LakeSink;

/**
 * A data lake on the local file system (Parquet, JSON Lines or CSV files under a root, Hive
 * partitions, atomic file commits, several writers per root) as a sink. What it guarantees is on
 * {@link LakeSinkConfig} and {@link LakeWriter}.
 */
public final class Lake {
  private Lake() {}

  /** A sink writing into {@code config}'s lake root; nothing is written before the first batch. */
  public static <T> LakeWriter<T> sink(LakeSinkConfig config) {
    return new LakeSink<>(config);
  }
}
