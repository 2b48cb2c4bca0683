package dev.collect.eventstore;

import java.util.List;
import java.util.Objects;

/**
 * What opening a file store cut from its log, or, with {@link FileEventStoreConfig#repair()},
 * accepted as lost. Without repair the only possible cut is a {@link Kind#TORN_TAIL}: a record that
 * was being written, never acknowledged, when the process or the machine stopped.
 *
 * @param headPosition the number of events in the log once open
 * @param cuts what was cut or found missing, in log order; empty for an intact log
 */
public record RecoveryReport(long headPosition, List<Cut> cuts) {

  public RecoveryReport {
    cuts = List.copyOf(cuts);
  }

  /** Bytes removed from the log or found missing, where known. */
  public long bytesCut() {
    return cuts.stream().mapToLong(c -> Math.max(0, c.bytes())).sum();
  }

  /**
   * Events removed from the log or found missing, or -1 when a cut holds events that cannot be
   * counted (a record torn before its event count, a missing segment).
   */
  public long eventsCut() {
    long sum = 0;
    for (Cut c : cuts) {
      if (c.events() < 0) {
        return -1;
      }
      sum += c.events();
    }
    return sum;
  }

  /** True when repair accepted damage, i.e. a cut other than a torn tail. */
  public boolean repaired() {
    return cuts.stream().anyMatch(c -> c.kind() != Kind.TORN_TAIL);
  }

  /** Why something was cut. */
  public enum Kind {
    /** A partly written record after the last committed one: an append never acknowledged. */
    TORN_TAIL,
    /**
     * Repair only: a record that failed its checksum or framing check, and everything after it,
     * moved to files named {@code <segment>.cut-at-<offset>} beside the log.
     */
    DAMAGED_RECORD,
    /** Repair only: a segment holds fewer bytes than its header says were committed. */
    SHORT_SEGMENT,
    /**
     * Repair only: the last segment named by the head file is missing, or one in the middle (then
     * every later segment is cut as with {@link #DAMAGED_RECORD}).
     */
    MISSING_SEGMENT,
    /**
     * Repair only: a segment's header or the head file is damaged or missing, and rewritten; what
     * it would have told (a committed size, missing segments after the last) is unknown.
     */
    DAMAGED_HEADER
  }

  /**
   * One cut.
   *
   * @param kind why
   * @param file the segment file (name only) the cut starts in
   * @param offset the byte offset in that file where the cut starts
   * @param bytes how many bytes were cut or are missing, or -1 if unknown
   * @param firstPosition the log position the first cut event had (the head once open)
   * @param events how many events were cut or are missing, or -1 if unknown
   */
  public record Cut(
      Kind kind, String file, long offset, long bytes, long firstPosition, long events) {
    public Cut {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(file, "file");
    }
  }
}
