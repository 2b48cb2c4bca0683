package dev.collect.eventstore;

import static dev.collect.eventstore.EventStoreContract.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.collect.eventstore.RecoveryReport.Cut;
import dev.collect.eventstore.RecoveryReport.Kind;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage must never look like a shorter log: on real files, every kind of damage fails the open
 * with {@link CorruptLogException}; only a torn tail (a record too short, after the committed end)
 * is cut, and what is cut is reported exactly. Repair cuts on request and reports it.
 */
class LogDamageTest {
  private static final int SEGMENT_HEADER = 64;

  @TempDir Path dir;

  private Path log() {
    return dir.resolve("log");
  }

  private FileEventStore open(boolean repair, MeterRegistry registry) {
    return EventStore.file(
        FileEventStoreConfig.builder(log())
            .segmentBytes(4096)
            .repair(repair)
            .meterRegistry(registry)
            .build());
  }

  private FileEventStore open() {
    return open(false, new SimpleMeterRegistry());
  }

  /** Appends {@code n} single-event appends to streams s0, s1 and closes the store. */
  private List<RecordedEvent> appendAndClose(int n) {
    try (FileEventStore store = open()) {
      for (int i = 0; i < n; i++) {
        store.append("s" + (i % 2), ExpectedVersion.any(), event("T", "payload-" + i));
      }
      return store.readAll(0, n + 1);
    }
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> files = Files.list(log())) {
      return files.filter(p -> p.toString().endsWith(".log")).sorted().toList();
    }
  }

  private Path lastSegment() throws IOException {
    List<Path> all = segments();
    return all.get(all.size() - 1);
  }

  /** The byte offsets of the records of a segment, read from their length fields. */
  private static List<Long> recordOffsets(Path segment) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment));
    List<Long> offsets = new ArrayList<>();
    for (int o = SEGMENT_HEADER; o + 8 <= bytes.limit(); o += 8 + bytes.getInt(o)) {
      offsets.add((long) o);
    }
    return offsets;
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }

  private void assertOpenFails(String messagePart) {
    assertThatThrownBy(this::open)
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining(messagePart)
        .hasMessageContaining("repair(true)");
  }

  @Test
  void everyByteOfTheLastRecordFlippedFailsTheOpenAndLeavesTheFilesAlone() throws IOException {
    List<RecordedEvent> events = appendAndClose(10);
    Path segment = lastSegment();
    long start = recordOffsets(segment).get(9);
    long end = Files.size(segment);
    byte[] intact = Files.readAllBytes(segment);

    // length field (0-3), checksum (4-7), body: position, time, stream, version, count, event
    for (long offset = start; offset < end; offset++) {
      FileEventStoreTest.flipByte(segment, offset);
      long at = offset;
      assertThatThrownBy(this::open)
          .as("byte %d of the last record", offset - start)
          .isInstanceOf(CorruptLogException.class)
          .hasMessageContaining("record at byte " + start + " of ")
          .hasMessageContaining(segment.getFileName().toString())
          .satisfies(e -> assertThat(Files.readAllBytes(segment)).hasSize(intact.length));
      FileEventStoreTest.flipByte(segment, at);
    }

    assertThat(Files.readAllBytes(segment)).isEqualTo(intact);
    try (FileEventStore store = open()) {
      assertThat(store.readAll(0, 100)).isEqualTo(events);
      assertThat(store.recoveryReport().cuts()).isEmpty();
    }
  }

  @Test
  void aDamagedSegmentHeaderFailsTheOpen() throws IOException {
    appendAndClose(3);

    FileEventStoreTest.flipByte(
        lastSegment(), 9); // the base position, covered by both slots' checksums

    assertOpenFails("header of");
  }

  /** The log after 10 appends (committed), and the record an 11th append wrote after it. */
  private record Snapshot(byte[] segment, byte[] head, byte[] nextRecord) {}

  private Snapshot snapshotBeforeAndAfterOneMoreAppend() throws IOException {
    appendAndClose(10);
    byte[] before = Files.readAllBytes(lastSegment());
    byte[] head = Files.readAllBytes(log().resolve("head"));
    try (FileEventStore store = open()) {
      store.append("s1", ExpectedVersion.any(), event("T", "never-acknowledged"));
    }
    byte[] after = Files.readAllBytes(lastSegment());
    return new Snapshot(before, head, Arrays.copyOfRange(after, before.length, after.length));
  }

  /** What a crash during the 11th append's write leaves: the log of 10 and {@code tail}. */
  private void restore(Snapshot s, byte[] tail) throws IOException {
    Files.write(lastSegment(), s.segment());
    Files.write(log().resolve("head"), s.head());
    Files.write(lastSegment(), tail, StandardOpenOption.APPEND);
  }

  @Test
  void tornTailsOfEveryLengthAreCutAndReportedExactly() throws IOException {
    Snapshot s = snapshotBeforeAndAfterOneMoreAppend();
    String name = lastSegment().getFileName().toString();
    // the record's event count ends after length, crc, position, time, stream "s1", version
    int countEnd = 4 + 4 + 8 + 8 + (4 + 2) + 8 + 4;

    for (int length = 1; length < s.nextRecord().length; length++) {
      restore(s, Arrays.copyOf(s.nextRecord(), length));
      MeterRegistry registry = new SimpleMeterRegistry();

      try (FileEventStore store = open(false, registry)) {
        long events = length >= countEnd ? 1 : -1;
        assertThat(store.recoveryReport())
            .as("torn after %d bytes", length)
            .isEqualTo(
                new RecoveryReport(
                    10,
                    List.of(
                        new Cut(Kind.TORN_TAIL, name, s.segment().length, length, 10, events))));
        assertThat(store.recoveryReport().repaired()).isFalse();
        assertThat(store.headPosition()).isEqualTo(10);
        assertThat(Files.size(lastSegment())).isEqualTo(s.segment().length);
        assertThat(
                registry
                    .get(FileEventStore.RECOVERY_CUT_BYTES)
                    .tag("reason", "torn_tail")
                    .tag("store", "log")
                    .counter()
                    .count())
            .isEqualTo(length);
        assertThat(registry.get(FileEventStore.RECOVERY_CUTS).counter().count()).isEqualTo(1);
        assertThat(registry.get(FileEventStore.RECOVERY_CUT_EVENTS).counter().count())
            .isEqualTo(Math.max(0, events));
      }
    }
    try (FileEventStore store = open()) {
      assertThat(store.recoveryReport().cuts()).isEmpty();
      assertThat(store.append("s1", ExpectedVersion.exactly(4), event("T", "x")).firstPosition())
          .isEqualTo(10);
    }
  }

  @Test
  void aTornTailCutIsLoggedAtWarnWithItsBytesOffsetAndPosition() throws IOException {
    Snapshot s = snapshotBeforeAndAfterOneMoreAppend();
    restore(s, Arrays.copyOf(s.nextRecord(), 7));

    FileEventStore[] opened = new FileEventStore[1];
    String log = stdErrOf(() -> opened[0] = open());
    opened[0].close();

    assertThat(log)
        .contains("WARN")
        .contains(
            "cut off a torn record of 7 bytes at byte " + s.segment().length + " (position 10)");
  }

  /** What SLF4J's simple logger (which writes to the current System.err) printed while running. */
  private static String stdErrOf(Runnable action) {
    java.io.PrintStream original = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void aWholeRecordWithABadChecksumAfterTheCommittedEndIsDamageNotATornTail() throws IOException {
    Snapshot s = snapshotBeforeAndAfterOneMoreAppend();
    byte[] damaged = s.nextRecord().clone();
    damaged[damaged.length - 3] ^= 0x5A; // in the payload

    restore(s, damaged);

    assertOpenFails("never a whole one with a wrong checksum");
    restore(s, s.nextRecord());
    try (FileEventStore store = open()) {
      assertThat(store.headPosition()).isEqualTo(11); // whole and valid: kept
      assertThat(store.recoveryReport().cuts()).isEmpty();
    }
  }

  @Test
  void aTornRecordFollowedByAValidOneIsDamageNotATornTail() throws IOException {
    Snapshot s = snapshotBeforeAndAfterOneMoreAppend();
    byte[] tail = new byte[20 + s.nextRecord().length];
    System.arraycopy(s.nextRecord(), 0, tail, 0, 20);
    System.arraycopy(s.nextRecord(), 0, tail, 20, s.nextRecord().length);
    ByteBuffer.wrap(tail).putInt(0, 1 << 20); // the torn one announces more than follows

    restore(s, tail);

    assertOpenFails("is followed by a valid record");
  }

  @Test
  void theLastSegmentDeletedFailsTheOpen() throws IOException {
    appendAndClose(200);
    assertThat(segments()).hasSizeGreaterThan(3);
    Path last = lastSegment();

    Files.delete(last);

    assertOpenFails(last.getFileName() + ", the last segment according to the head file");
  }

  @Test
  void theOnlySegmentDeletedFailsTheOpen() throws IOException {
    appendAndClose(3);
    assertThat(segments()).hasSize(1);

    Files.delete(lastSegment());

    assertOpenFails("has a head file but no segment");
  }

  @Test
  void aDeletedHeadFileFailsTheOpen() throws IOException {
    appendAndClose(3);

    Files.delete(log().resolve("head"));

    assertOpenFails("head file");
  }

  @Test
  void aLogOfTheEarlierFormatWithoutHeadersIsRefused() throws IOException {
    appendAndClose(3);
    Path segment = lastSegment();
    byte[] bytes = Files.readAllBytes(segment);
    Files.write(segment, Arrays.copyOfRange(bytes, SEGMENT_HEADER, bytes.length));
    Files.delete(log().resolve("head"));

    assertOpenFails("written by an earlier version");
  }

  @Test
  void aSegmentTruncatedBeyondATornTailFailsTheOpen() throws IOException {
    appendAndClose(10);
    Path segment = lastSegment();
    byte[] intact = Files.readAllBytes(segment);
    List<Long> records = recordOffsets(segment);

    // one byte short, at the last record's start, inside the first record, all records gone
    for (long size : List.of(intact.length - 1L, records.get(9), records.get(0) + 20, 64L)) {
      truncate(segment, size);
      assertThatThrownBy(this::open)
          .as("truncated to %d of %d bytes", size, intact.length)
          .isInstanceOf(CorruptLogException.class)
          .hasMessageContaining("truncated, acknowledged events are missing");
      Files.write(segment, intact);
    }
  }

  @Test
  void anOlderSegmentTruncatedAtARecordBoundaryFailsTheOpen() throws IOException {
    appendAndClose(200);
    Path older = segments().get(1);

    truncate(older, recordOffsets(older).get(2));

    assertOpenFails("truncated, acknowledged events are missing");
  }

  @Test
  void repairCutsADamagedRecordAndEverythingAfterItKeepsTheBytesAndReportsIt() throws IOException {
    List<RecordedEvent> events = appendAndClose(200);
    List<Path> files = segments();
    Path damaged = files.get(1);
    long offset = recordOffsets(damaged).get(3);
    long position = baseOf(damaged) + 3; // one event per record
    byte[] cutBytes =
        Arrays.copyOfRange(Files.readAllBytes(damaged), (int) offset, (int) Files.size(damaged));
    long bytesCut = cutBytes.length;
    for (Path later : files.subList(2, files.size())) {
      bytesCut += Files.size(later);
    }
    List<byte[]> laterBytes = new ArrayList<>();
    for (Path later : files.subList(2, files.size())) {
      laterBytes.add(Files.readAllBytes(later));
    }
    FileEventStoreTest.flipByte(damaged, offset + 60); // in the event, after the record's head
    cutBytes[60] ^= 0x5A;
    assertOpenFails("fails its CRC32C checksum");
    MeterRegistry registry = new SimpleMeterRegistry();

    FileEventStore[] opened = new FileEventStore[1];
    String log = stdErrOf(() -> opened[0] = open(true, registry));
    assertThat(log).contains("WARN").contains("repairing the event log").contains("CRC32C");
    try (FileEventStore store = opened[0]) {
      RecoveryReport report = store.recoveryReport();
      assertThat(report.cuts())
          .containsExactly(
              new Cut(
                  Kind.DAMAGED_RECORD,
                  damaged.getFileName().toString(),
                  offset,
                  bytesCut,
                  position,
                  200 - position));
      assertThat(report.repaired()).isTrue();
      assertThat(store.readAll(0, 1000)).isEqualTo(events.subList(0, (int) position));
      assertThat(store.append("s9", ExpectedVersion.any(), event("T", "after")).firstPosition())
          .isEqualTo(position);
      assertThat(
              registry
                  .get(FileEventStore.RECOVERY_CUT_EVENTS)
                  .tag("reason", "damaged_record")
                  .counter()
                  .count())
          .isEqualTo(200 - position);
    }
    assertThat(segments()).hasSize(2);
    assertThat(log().resolve(damaged.getFileName() + ".cut-at-" + offset))
        .hasBinaryContent(cutBytes);
    assertThat(files.size()).isGreaterThan(2);
    for (int i = 2; i < files.size(); i++) {
      assertThat(log().resolve(files.get(i).getFileName() + ".cut-at-0"))
          .as("later segment %s, moved whole", files.get(i).getFileName())
          .hasBinaryContent(laterBytes.get(i - 2));
    }
    try (FileEventStore store = open()) {
      assertThat(store.recoveryReport().cuts()).isEmpty();
      assertThat(store.headPosition()).isEqualTo(position + 1);
    }
  }

  @Test
  void repairAcceptsAMissingLastSegmentAndReportsIt() throws IOException {
    appendAndClose(200);
    Path last = lastSegment();
    Files.delete(last);

    try (FileEventStore store = open(true, new SimpleMeterRegistry())) {
      assertThat(store.recoveryReport().cuts())
          .containsExactly(
              new Cut(
                  Kind.MISSING_SEGMENT, last.getFileName().toString(), 0, -1, baseOf(last), -1));
      assertThat(store.headPosition()).isEqualTo(baseOf(last));
    }
    try (FileEventStore store = open()) {
      assertThat(store.recoveryReport().cuts()).isEmpty();
    }
  }

  @Test
  void repairAcceptsATruncatedSegmentAndReportsTheMissingBytes() throws IOException {
    appendAndClose(10);
    Path segment = lastSegment();
    long size = Files.size(segment);
    long cutAt = recordOffsets(segment).get(7);
    truncate(segment, cutAt);

    try (FileEventStore store = open(true, new SimpleMeterRegistry())) {
      assertThat(store.recoveryReport().cuts())
          .containsExactly(
              new Cut(
                  Kind.SHORT_SEGMENT,
                  segment.getFileName().toString(),
                  cutAt,
                  size - cutAt,
                  7,
                  -1));
      assertThat(store.headPosition()).isEqualTo(7);
    }
    try (FileEventStore store = open()) {
      assertThat(store.recoveryReport().cuts()).isEmpty();
    }
  }

  @Test
  void repairRewritesADeletedHeadFileAndReportsIt() throws IOException {
    appendAndClose(10);
    Files.delete(log().resolve("head"));

    try (FileEventStore store = open(true, new SimpleMeterRegistry())) {
      assertThat(store.recoveryReport().cuts())
          .containsExactly(new Cut(Kind.DAMAGED_HEADER, "head", 0, -1, 10, -1));
      assertThat(store.headPosition()).isEqualTo(10);
    }
    try (FileEventStore store = open()) {
      assertThat(store.recoveryReport().cuts()).isEmpty();
    }
  }

  private static long baseOf(Path segment) {
    return Long.parseLong(segment.getFileName().toString().substring(8, 28));
  }
}
