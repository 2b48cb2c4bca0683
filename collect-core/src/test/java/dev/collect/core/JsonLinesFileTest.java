package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.fixtures.Click;
import dev.collect.core.internal.io.JsonLinesFileSource;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class JsonLinesFileTest {

  @TempDir Path dir;

  @Test
  void roundTripsRecordsThroughFiles() throws IOException {
    Path in = dir.resolve("in.jsonl");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      lines.add(Click.json(i));
    }
    Files.write(in, lines);
    Path out = dir.resolve("sub/out.jsonl");

    RunReport report =
        Pipeline.from(Source.jsonLines(in))
            .collect(Collector.json(Click.class))
            .to(Sink.jsonLines(out))
            .workers(2)
            .build()
            .run();

    assertThat(report.written()).isEqualTo(5000);
    assertThat(report.invariantHolds()).isTrue();
    assertThat(Files.readAllLines(out)).containsExactlyInAnyOrderElementsOf(lines);
  }

  @Test
  void aTornLastLineAndAnOversizedLineAreDeadLetteredNotDropped() throws IOException {
    Path in = dir.resolve("in.jsonl");
    String huge = "{\"id\":\"" + "x".repeat(5000) + "\"}";
    String torn = Click.json(3).substring(0, 20);
    Files.writeString(in, Click.json(1) + "\n" + huge + "\n" + Click.json(2) + "\n" + torn);
    TestDeadLetterSink dead = new TestDeadLetterSink();
    TestSink<Click> sink = new TestSink<>();

    RunReport report =
        Pipeline.from(JsonLinesFileSource.builder(in).maxLineBytes(1024).build())
            .collect(Collector.json(Click.class))
            .to(sink)
            .deadLetters(dead)
            .build()
            .run();

    assertThat(report.received()).isEqualTo(4);
    assertThat(report.written()).isEqualTo(2);
    assertThat(report.deadLettered()).isEqualTo(2);
    assertThat(report.invariantHolds()).isTrue();
    assertThat(dead.letters())
        .extracting(DeadLetter::stage, DeadLetter::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Stage.SOURCE, "unreadable"),
            org.assertj.core.groups.Tuple.tuple(Stage.COLLECT, "malformed"));
    assertThat(dead.letters().get(0).position()).containsEntry("line", 2L);
    assertThat(dead.letters().get(0).payload()).hasSize(1024);
    assertThat(dead.letters().get(1).payload()).isEqualTo(torn);
  }

  @Test
  void resumesAfterTheCommittedLine() throws IOException {
    Path in = dir.resolve("in.jsonl");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      lines.add(Click.json(i));
    }
    Files.write(in, lines);
    CheckpointStore store = CheckpointStore.directory(dir.resolve("cp"));
    long afterLine50 = 0;
    for (int i = 0; i < 50; i++) {
      afterLine50 += lines.get(i).getBytes(StandardCharsets.UTF_8).length + 1;
    }
    store.save("in", afterLine50 + ":50");
    TestSink<Click> sink = new TestSink<>();

    RunReport report =
        Pipeline.from(Source.jsonLines(in, store, "in"))
            .collect(Collector.json(Click.class))
            .to(sink)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(sink.values()).extracting(Click::id).first().isEqualTo("e50");
    assertThat(sink.size()).isEqualTo(50);
    assertThat(sink.envelopes().get(0).position().describe()).containsEntry("line", 51L);
    assertThat(store.load("in")).contains(Files.size(in) + ":100");
  }
}
