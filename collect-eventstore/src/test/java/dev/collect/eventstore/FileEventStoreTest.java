package dev.collect.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.collect.core.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileEventStoreTest extends EventStoreContract {

  @TempDir Path dir;

  @Override
  protected EventStore newStore() {
    return EventStore.file(dir.resolve("log"));
  }

  @Override
  protected EntityKeyStore newKeyStore() {
    return EntityKeyStore.directory(dir.resolve("keys"));
  }

  private EventStore reopen() {
    store.close();
    store = EventStore.file(dir.resolve("log"));
    return store;
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("log"))) {
      return files.filter(p -> p.toString().endsWith(".log")).sorted().toList();
    }
  }

  static void flipByte(Path file, long offset) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, offset);
      b.put(0, (byte) (b.get(0) ^ 0x5A)).rewind();
      ch.write(b, offset);
    }
  }

  private void appendTen() {
    for (int i = 0; i < 10; i++) {
      store.append("s" + (i % 2), ExpectedVersion.any(), event("T", "payload-" + i));
    }
  }

  @Test
  void aRetryAfterAReopenIsStillRecognisedByItsIds() {
    appendTen();
    List<EventData> batch = List.of(event("A", "1"), event("B", "2"));
    AppendResult original = store.append("retried", ExpectedVersion.noStream(), batch);
    appendTen();

    reopen();
    AppendResult retry = store.append("retried", ExpectedVersion.noStream(), batch);

    assertThat(retry.duplicate()).isTrue();
    assertThat(retry.firstPosition()).isEqualTo(original.firstPosition());
    assertThat(retry.firstVersion()).isZero();
    assertThat(store.headPosition()).isEqualTo(22);
    assertThatThrownBy(() -> store.append("other", ExpectedVersion.any(), batch))
        .isInstanceOf(ConcurrencyException.class);
  }

  @Test
  void reopeningRebuildsTheIndexFromTheLog() {
    appendTen();
    List<RecordedEvent> before = store.readAll(0, 100);

    reopen();

    assertThat(store.readAll(0, 100)).isEqualTo(before);
    assertThat(store.readStream("s1", 0, 100)).hasSize(5);
    assertThat(store.streamVersion("s0")).isEqualTo(4);
    assertThat(store.positionAt(before.get(3).recordedAt())).isLessThanOrEqualTo(3);
    assertThat(store.append("s0", ExpectedVersion.exactly(4), event("T", "next")).firstPosition())
        .isEqualTo(10);
    assertThat(
            store.append(
                "s0",
                ExpectedVersion.any(),
                before.get(0).eventId().equals("")
                    ? null
                    : EventData.builder("T", new byte[1]).eventId(before.get(0).eventId()).build()))
        .isNotNull();
  }

  @Test
  void aTornTailIsCutOffOnOpenAndAppendsContinue() throws IOException {
    appendTen();
    List<RecordedEvent> before = store.readAll(0, 100);
    store.close();
    Path last = segments().get(segments().size() - 1);
    long size = Files.size(last);
    // half of a record: a length that runs past the end of the file, then some bytes
    Files.write(last, new byte[] {0, 0, 1, 0, 1, 2, 3, 4, 5, 6, 7}, StandardOpenOption.APPEND);

    store = EventStore.file(dir.resolve("log"));

    assertThat(store.readAll(0, 100)).isEqualTo(before);
    assertThat(Files.size(last)).isEqualTo(size);
    store.append("s0", ExpectedVersion.any(), event("T", "after"));
    assertThat(reopen().readAll(10, 10))
        .extracting(EventStoreContract::text)
        .containsExactly("after");
  }

  @Test
  void aFlippedByteInsideTheLogIsReportedOnOpenNotSkipped() throws IOException {
    appendTen();
    store.close();
    Path segment = segments().get(0);
    flipByte(segment, Files.size(segment) / 2);

    assertThatThrownBy(() -> EventStore.file(dir.resolve("log")))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining("CRC32C");
    store = EventStore.inMemory(); // for @AfterEach
  }

  @Test
  void aFlippedByteIsReportedWhenReadWhileOpen() throws IOException {
    appendTen();
    // Read first: readers (and their chunks) are kept from call to call, and must not answer
    // the next call with bytes read before the damage.
    assertThat(store.readAll(0, 100)).hasSize(10);
    assertThat(store.readStream("s0", 0, 100)).isNotEmpty();
    Path segment = segments().get(0);
    flipByte(segment, 64 + 30); // inside the first record, after the segment header

    assertThatThrownBy(() -> store.readAll(0, 100))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining("CRC32C");
    assertThatThrownBy(() -> store.readStream("s0", 0, 100))
        .isInstanceOf(CorruptLogException.class);
  }

  @Test
  void aFlippedByteInAnOlderSegmentIsReported() throws IOException {
    store.close();
    store =
        EventStore.file(
            FileEventStoreConfig.builder(dir.resolve("log")).segmentBytes(4096).build());
    for (int i = 0; i < 200; i++) {
      store.append("s", ExpectedVersion.any(), event("T", "x".repeat(100) + i));
    }
    List<RecordedEvent> all = store.readAll(0, 1000);
    assertThat(all).hasSize(200);
    assertThat(segments()).hasSizeGreaterThan(3);
    store.close();
    store =
        EventStore.file(
            FileEventStoreConfig.builder(dir.resolve("log")).segmentBytes(4096).build());
    assertThat(store.readAll(0, 1000)).isEqualTo(all);
    store.close();

    flipByte(segments().get(1), 100);

    assertThatThrownBy(() -> EventStore.file(dir.resolve("log")))
        .isInstanceOf(CorruptLogException.class);
    store = EventStore.inMemory();
  }

  @Test
  void aSecondOpenOfTheSameDirectoryIsRefused() {
    assertThatThrownBy(() -> EventStore.file(dir.resolve("log")))
        .isInstanceOf(EventStoreException.class)
        .hasMessageContaining("open in another process");
  }

  @Test
  void anAppendTooBigForOneGroupCommitIsRefusedAndTheStoreKeepsWorking() {
    List<EventData> huge = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      huge.add(EventData.of("Big", new byte[FileEventStoreConfig.DEFAULT_MAX_EVENT_BYTES]));
    }

    assertThatThrownBy(() -> store.append("s", ExpectedVersion.any(), huge))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("split it");
    store.append("s", ExpectedVersion.any(), huge.subList(0, 1));
    assertThat(store.readStream("s", 0, 10)).hasSize(1);
    assertThat(reopen().readAll(0, 10).get(0).data())
        .hasSize(FileEventStoreConfig.DEFAULT_MAX_EVENT_BYTES);
  }

  @Test
  void recordedAtNeverDecreasesWhenTheClockStepsBackEvenAcrossAReopen() {
    Instant noon = Instant.parse("2026-03-01T12:00:00Z");
    TestClock clock = TestClock.at(noon);
    store.close();
    FileEventStoreConfig config =
        FileEventStoreConfig.builder(dir.resolve("log")).clock(clock).build();
    store = EventStore.file(config);

    List<RecordedEvent> events = appendWhileTheClockStepsBack(store, clock, noon);
    store.close();
    store = EventStore.file(config);
    clock.set(noon.minus(Duration.ofDays(1)));
    store.append("s", ExpectedVersion.any(), event("T", "after a reopen, clock a day back"));

    List<RecordedEvent> all = store.readAll(0, 100);
    assertThat(all).hasSize(6);
    assertThat(all.subList(0, 5)).isEqualTo(events);
    assertThat(all)
        .extracting(RecordedEvent::recordedAt)
        .isSortedAccordingTo(Comparator.naturalOrder());
    assertThat(all.get(0).recordedAt()).isEqualTo(noon);
    assertThat(all.get(2).recordedAt()).isEqualTo(noon.plusSeconds(1));
    // a time range is a slice of the log
    assertThat(store.positionAt(noon.plusSeconds(1))).isEqualTo(2);
    assertThat(store.readByTime(noon, noon.plusSeconds(1), 0, 100)).isEqualTo(all.subList(0, 2));
  }

  @Test
  void theDefaultsAreTheReadmesNumbers() {
    FileEventStoreConfig defaults = FileEventStoreConfig.builder(dir.resolve("other")).build();

    assertThat(defaults.durability()).isEqualTo(Durability.FSYNC);
    assertThat(defaults.segmentBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(defaults.maxEventBytes()).isEqualTo(4 * 1024 * 1024);
    assertThat(defaults.maxGroupCommitBytes()).isEqualTo(4 * 1024 * 1024);
    assertThat(defaults.clock()).isEqualTo(Clock.systemUTC());
    assertThat(defaults.repair()).isFalse();
    assertThat(defaults.meterRegistry())
        .isInstanceOf(SimpleMeterRegistry.class)
        .isNotSameAs(FileEventStoreConfig.builder(dir.resolve("other")).build().meterRegistry());
    // the store opened with the defaults takes a payload of 4 MiB and refuses one byte more
    store.append("s", ExpectedVersion.any(), EventData.of("Big", new byte[4 * 1024 * 1024]));
    assertThatThrownBy(
            () ->
                store.append(
                    "s", ExpectedVersion.any(), EventData.of("Big", new byte[4 * 1024 * 1024 + 1])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxEventBytes");
    assertThat(store.headPosition()).isOne();
  }

  @Test
  void appendsAfterCloseFailClearly() {
    store.close();

    assertThatThrownBy(() -> store.append("s", ExpectedVersion.any(), event("T", "x")))
        .isInstanceOf(EventStoreException.class)
        .hasMessageContaining("closed");
  }
}
