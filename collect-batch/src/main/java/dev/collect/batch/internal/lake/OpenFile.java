package dev.collect.batch.internal.lake;

import java.nio.file.Path;
import java.util.Arrays;

/** A file being written: its writer, where it goes, and the fingerprints of its records. */
final class OpenFile {
  final String partition;
  final String fileId;
  final Path temp;
  final Path target;
  final RecordFileWriter writer;
  final long openedAtNanos = System.nanoTime();
  long[] fingerprints = new long[256];
  long[] seqs = new long[256];
  int records;
  long maxSeq;

  OpenFile(String partition, String fileId, Path temp, Path target, RecordFileWriter writer) {
    this.partition = partition;
    this.fileId = fileId;
    this.temp = temp;
    this.target = target;
    this.writer = writer;
  }

  void add(long fingerprint, long seq) {
    if (records == fingerprints.length) {
      fingerprints = Arrays.copyOf(fingerprints, records * 2);
      seqs = Arrays.copyOf(seqs, records * 2);
    }
    fingerprints[records] = fingerprint;
    seqs[records] = seq;
    records++;
    maxSeq = Math.max(maxSeq, seq);
  }
}
