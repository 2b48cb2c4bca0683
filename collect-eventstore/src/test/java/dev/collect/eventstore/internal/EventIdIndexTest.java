package dev.collect.eventstore.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventIdIndexTest {
  @Test
  void findsEveryIdAfterGrowingAndNothingElse() {
    EventIdIndex index = new EventIdIndex();
    for (int i = 0; i < 20_000; i++) {
      index.add("id-" + i, i);
    }

    assertThat(index.size()).isEqualTo(20_000);
    for (int i = 0; i < 20_000; i++) {
      long expected = i;
      assertThat(index.find("id-" + i, p -> p == expected)).isEqualTo(i);
    }
    assertThat(index.find("id-20000", p -> true)).isEqualTo(-1);
  }

  @Test
  void aCandidateTheLogDoesNotConfirmIsSkipped() {
    // Two entries under one hash, as two colliding ids would have: only the confirmed one counts.
    EventIdIndex index = new EventIdIndex();
    index.add("same", 7);
    index.add("same", 42);

    assertThat(index.find("same", p -> p == 42)).isEqualTo(42);
    assertThat(index.find("same", p -> p == 7)).isEqualTo(7);
    assertThat(index.find("same", p -> false)).isEqualTo(-1);
  }

  @Test
  void hashesAreNeverTheFreeSlotMarker() {
    assertThat(EventIdIndex.hash("")).isNotZero();
    assertThat(EventIdIndex.hash("a")).isNotEqualTo(EventIdIndex.hash("b"));
  }
}
