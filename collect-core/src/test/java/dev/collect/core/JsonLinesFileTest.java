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
  void byDefaultALineOfOneMibIsReadAndALineOneByteLongerIsDeadLettered() throws IOException {
    Path in = dir.resolve("in.jsonl");
    String atLimit = "\"" + "a".repeat((1 << 20) - 2) + "\"";
    String overLimit = "\"" + "b".repeat((1 << 20) - 1) + "\"";
    Files.writeString(in, atLimit + "\n" + overLimit + "\n" + "\"after\"\n");
    TestDeadLetterSink dead = new TestDeadLetterSink();
    TestSink<byte[]> sink = new TestSink<>();

    RunReport report = Pipeline.from(Source.jsonLines(in)).to(sink).deadLetters(dead).build().run();

    assertThat(sink.values()).extracting(v -> v.length).containsExactly(1 << 20, 7);
    assertThat(dead.letters()).hasSize(1);
    assertThat(dead.letters().get(0).stage()).isEqualTo(Stage.SOURCE);
    assertThat(dead.letters().get(0).position()).containsEntry("line", 2L);
    assertThat(report.invariantHolds()).isTrue();
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
    String key = "jsonlines:" + in.toAbsolutePath().normalize();
    store.save(key, afterLine50 + ":50");
    TestSink<Click> sink = new TestSink<>();

    RunReport report =
        Pipeline.from(Source.jsonLines(in))
            .collect(Collector.json(Click.class))
            .to(sink)
            .checkpoints(store)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(sink.values()).extracting(Click::id).first().isEqualTo("e50");
    assertThat(sink.size()).isEqualTo(50);
    assertThat(sink.envelopes().get(0).position().describe()).containsEntry("line", 51L);
    assertThat(store.load(key)).contains(Files.size(in) + ":100");
  }

  @Test
  void aSecondRunWithThePipelinesCheckpointStoreWritesNothingAgain() throws IOException {
    Path in = dir.resolve("in.jsonl");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      lines.add(Click.json(i));
    }
    Files.write(in, lines);
    Path state = dir.resolve("state");
    Path out = dir.resolve("out.jsonl");

    RunReport first = runInto(in, out, state);
    RunReport second = runInto(in, out, state);

    assertThat(first.written()).isEqualTo(1000);
    assertThat(first.invariantHolds()).isTrue();
    assertThat(second.received()).isZero();
    assertThat(second.invariantHolds()).isTrue();
    assertThat(Files.readAllLines(out)).hasSize(1000);
    assertThat(
            CheckpointStore.directory(state).load("jsonlines:" + in.toAbsolutePath().normalize()))
        .contains(Files.size(in) + ":1000");
  }

  @Test
  void aPathTooLongForAKeyIsKeptUnderItsHash() {
    Path deep = dir.resolve("d".repeat(120)).resolve("e".repeat(120)).resolve("in.jsonl");

    String key = JsonLinesFileSource.checkpointKey(deep);

    assertThat(key).startsWith("jsonlines:sha256:").hasSize("jsonlines:sha256:".length() + 64);
    assertThat(JsonLinesFileSource.checkpointKey(deep)).isEqualTo(key);
  }

  private static RunReport runInto(Path in, Path out, Path state) {
    return Pipeline.from(Source.jsonLines(in))
        .collect(Collector.json(Click.class))
        .to(Sink.jsonLines(out))
        .checkpoints(CheckpointStore.directory(state))
        .build()
        .run();
  }
}
