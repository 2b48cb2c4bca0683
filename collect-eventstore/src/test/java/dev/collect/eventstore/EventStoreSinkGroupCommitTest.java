package dev.collect.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.Envelope;
import dev.collect.core.Sink;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file store's writer reads its clock once per group commit, and a group is written with one
 * {@code write} and one fsync: a clock that counts its reads counts the fsyncs.
 */
@Timeout(60)
class EventStoreSinkGroupCommitTest {

  /** Each read a second later than the one before, counting the reads. */
  static final class CountingClock extends Clock {
    final AtomicInteger reads = new AtomicInteger();

    @Override
    public Instant instant() {
      return Instant.parse("2026-01-01T00:00:00Z").plusSeconds(reads.incrementAndGet());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @TempDir Path dir;

  @Test
  void oneSinkBatchOfManyEntitiesCostsOneFsync() throws Exception {
    assertOneGroupCommitPerBatch(store -> store);
  }

  @Test
  void oneSinkBatchOfManyEntitiesCostsOneFsyncWithCryptoShreddingToo() throws Exception {
    assertOneGroupCommitPerBatch(store -> store.withCryptoShredding(EntityKeyStore.inMemory()));
  }

  private void assertOneGroupCommitPerBatch(UnaryOperator<EventStore> layers) throws Exception {
    CountingClock clock = new CountingClock();
    try (EventStore file =
        EventStore.file(FileEventStoreConfig.builder(dir.resolve("log")).clock(clock).build())) {
      EventStore store = layers.apply(file);
      Sink<Integer> sink =
          EventStore.sink(
              EventStoreSinkConfig.builder(store).build(),
              envelope ->
                  new StreamEvent(
                      "entity-" + envelope.value(),
                      EventData.builder("Seen", EventData.toJson(envelope.value()))
                          .eventId("evt-" + envelope.value())
                          .build()));
      store.append("warm-up", ExpectedVersion.any(), EventData.json("T", 0));
      int groupsBefore = clock.reads.get();
      List<Envelope<Integer>> batch = IntStream.range(0, 200).mapToObj(Envelope::of).toList();

      sink.write(batch);

      assertThat(clock.reads.get() - groupsBefore).as("group commits of one batch").isEqualTo(1);
      List<RecordedEvent> recorded = store.readAll(1, 1000);
      assertThat(recorded).hasSize(200);
      assertThat(recorded).extracting(RecordedEvent::streamId).doesNotHaveDuplicates();
      assertThat(recorded)
          .extracting(RecordedEvent::recordedAt)
          .containsOnly(recorded.get(0).recordedAt());
    }
  }
}
