package dev.collect.batch.internal.lake;

import java.time.Instant;
import java.util.List;

/**
 * What one run of a lake sink published: written to {@code _collect/runs/<run>/manifest.json} when
 * the sink closes. A run directory without a manifest belongs to a run that did not complete.
 *
 * @param runId the run's id
 * @param status {@code completed}, or {@code absorbed} for a crashed run whose replay a later run
 *     de-duplicated
 * @param startedAt when the sink opened
 * @param finishedAt when it closed
 * @param records records published
 * @param skippedReplays replayed records skipped because a crashed run had published them
 * @param files the published files
 * @param absorbedRuns crashed runs this run de-duplicated
 */
record RunManifest(
    String runId,
    String status,
    Instant startedAt,
    Instant finishedAt,
    long records,
    long skippedReplays,
    List<FileEntry> files,
    List<String> absorbedRuns) {

  static final String FILE_NAME = "manifest.json";

  /** A published file: its path relative to the lake root, partition, record and byte counts. */
  record FileEntry(String path, String partition, long records, long bytes) {}
}
