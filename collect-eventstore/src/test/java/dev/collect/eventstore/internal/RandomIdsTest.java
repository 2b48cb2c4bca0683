package dev.collect.eventstore.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.eventstore.EventData;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class RandomIdsTest {
  @Test
  void idsAreVersion4UuidsWithTheIetfVariant() {
    for (int i = 0; i < 1_000; i++) {
      String id = RandomIds.uuid();
      UUID parsed = UUID.fromString(id);
      assertThat(parsed.toString()).isEqualTo(id);
      assertThat(parsed.version()).isEqualTo(4);
      assertThat(parsed.variant()).isEqualTo(2);
    }
  }

  @Test
  void concurrentThreadsNeverRepeatAnId() throws InterruptedException {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Thread thread =
          new Thread(
              () -> {
                for (int i = 0; i < 50_000; i++) {
                  seen.add(RandomIds.uuid());
                }
              });
      thread.start();
      threads.add(thread);
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(seen).hasSize(8 * 50_000);
  }

  @Test
  void eventsGetADistinctDefaultIdUnlessOneIsGiven() {
    EventData a = EventData.of("Seen", new byte[] {1});
    EventData b = EventData.of("Seen", new byte[] {1});
    assertThat(a.eventId()).isNotEqualTo(b.eventId());
    assertThat(EventData.builder("Seen", new byte[] {1}).eventId("fixed").build().eventId())
        .isEqualTo("fixed");
  }
}
