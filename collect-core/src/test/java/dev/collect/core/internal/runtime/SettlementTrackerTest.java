package dev.collect.core.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.Position;
import org.junit.jupiter.api.Test;

class SettlementTrackerTest {

  @Test
  void commitsOnlyTheSettledPrefixWhateverTheCompletionOrder() {
    SettlementTracker tracker = new SettlementTracker();
    Ticket a = tracker.open(Position.sequence(9), 10);
    Ticket b = tracker.open(Position.sequence(19), 10);
    Ticket c = tracker.open(Position.sequence(29), 10);
    a.parts(1);
    b.parts(2);
    c.parts(1);

    c.partSettled();
    b.partSettled();
    assertThat(tracker.committable()).isNull();

    a.partSettled();
    assertThat(tracker.committable()).isEqualTo(Position.sequence(9));

    b.partSettled();
    assertThat(tracker.committable()).isEqualTo(Position.sequence(29));
    assertThat(tracker.settledThrough()).isEqualTo(2);
  }

  @Test
  void ticketsWithoutPositionsKeepTheLastKnownPosition() {
    SettlementTracker tracker = new SettlementTracker();
    Ticket a = tracker.open(Position.sequence(1), 1);
    Ticket b = tracker.open(null, 1);
    a.parts(1);
    b.parts(1);

    a.partSettled();
    b.partSettled();

    assertThat(tracker.committable()).isEqualTo(Position.sequence(1));
    assertThat(tracker.settledThrough()).isEqualTo(1);
  }
}
