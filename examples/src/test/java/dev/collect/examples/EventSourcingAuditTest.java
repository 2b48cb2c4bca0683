package dev.collect.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.eventstore.RecordedEvent;
import dev.collect.examples.audit.EventSourcingAudit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class EventSourcingAuditTest {

  @TempDir Path dir;

  @Test
  void recordsHistoryReplaysExactlyTheAfternoonAndErasesAUser() throws Exception {
    EventSourcingAudit.Result result = EventSourcingAudit.run(4_000, dir);

    assertThat(result.morning().invariantHolds()).isTrue();
    assertThat(result.afternoon().invariantHolds()).isTrue();
    assertThat(result.morning().written() + result.morning().deadLettered()).isEqualTo(2_000);
    assertThat(result.afternoon().written() + result.afternoon().deadLettered()).isEqualTo(2_000);

    List<RecordedEvent> history = result.history();
    assertThat(history).isNotEmpty().allMatch(e -> e.streamId().equals(result.stream()));
    for (int i = 0; i < history.size(); i++) {
      assertThat(history.get(i).streamVersion()).isEqualTo(i);
    }

    assertThat(result.replay().invariantHolds()).isTrue();
    assertThat(result.replay().written()).isEqualTo(result.afternoon().written());
    List<String> rows = Files.readAllLines(dir.resolve("replay.jsonl"));
    assertThat(rows).hasSize((int) result.afternoon().written());
    assertThat(rows).allMatch(r -> r.contains("\"occurred_at\":\"2026-11-24T1"));

    assertThat(result.historyAfterErasure()).hasSameSizeAs(history).allMatch(RecordedEvent::erased);
  }

  @Test
  void runningAgainStartsFromAnEmptyStore() throws Exception {
    EventSourcingAudit.run(1_000, dir);
    EventSourcingAudit.Result second = EventSourcingAudit.run(1_000, dir);

    assertThat(second.replay().written()).isEqualTo(second.afternoon().written());
  }
}
