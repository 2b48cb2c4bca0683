package dev.collect.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.RunReport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class QuickstartTest {

  @TempDir Path dir;

  @Test
  @Timeout(120)
  void collectsCleanRecordsAndDeadLettersTheRest() throws Exception {
    RunReport report = Quickstart.run(20_000, dir, 2, false);

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.received()).isEqualTo(20_000);
    assertThat(report.deadLettered()).isBetween(300L, 900L);
    assertThat(Files.readAllLines(dir.resolve("clicks.jsonl"))).hasSize((int) report.written());
    assertThat(Files.readAllLines(dir.resolve("dead-letters.jsonl")))
        .hasSize((int) report.deadLettered());
    String clicks = Files.readString(dir.resolve("clicks.jsonl"));
    assertThat(clicks).doesNotContain("\"user-").contains("\"ip\":\"10.");
    assertThat(clicks.lines().findFirst().orElseThrow())
        .matches(".*\"ip\":\"10\\.\\d+\\.\\d+\\.0\".*");
  }
}
