package dev.collect.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.testing.TestClock;
import dev.collect.eventstore.internal.InMemoryEventStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryEventStoreTest extends EventStoreContract {
  @Override
  protected EventStore newStore() {
    return EventStore.inMemory();
  }

  @Test
  void recordedAtNeverDecreasesWhenTheClockStepsBack() {
    Instant noon = Instant.parse("2026-03-01T12:00:00Z");
    TestClock clock = TestClock.at(noon);
    EventStore stepping = new InMemoryEventStore(clock);

    List<RecordedEvent> events = appendWhileTheClockStepsBack(stepping, clock, noon);

    assertThat(events)
        .extracting(RecordedEvent::recordedAt)
        .isSortedAccordingTo(Comparator.naturalOrder());
    assertThat(events.get(0).recordedAt()).isEqualTo(noon);
    assertThat(events.get(2).recordedAt()).isEqualTo(noon.plusSeconds(1));
    // a time range is a slice of the log
    assertThat(stepping.positionAt(noon.plusSeconds(1))).isEqualTo(2);
    assertThat(stepping.readByTime(noon, noon.plusSeconds(1), 0, 100))
        .isEqualTo(events.subList(0, 2));
  }
}
