package dev.collect.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdOutputStream;
import dev.collect.core.BatchPolicy;
import dev.collect.core.CheckpointStore;
import dev.collect.core.DeadLetter;
import dev.collect.core.Envelope;
import dev.collect.core.Pipeline;
import dev.collect.core.PipelineFailedException;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class FileSourceTest {

  @TempDir Path dir;

  static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  static byte[] zstd(String text) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream z = new ZstdOutputStream(out)) {
      z.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  private RunReport run(
      FileSourceConfig.Builder source,
      TestSink<Map<String, Object>> sink,
      TestDeadLetterSink dead) {
    return Pipeline.from(LocalFiles.source(source.build()))
        .to(sink)
        .deadLetters(dead)
        .build()
        .run();
  }

  @Test
  void readsJsonLinesAndCsvPlainGzipAndZstdInNameOrder() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(in.resolve("a.jsonl"), "{\"id\":1}\n{\"id\":2}\r\n");
    Files.write(in.resolve("b.csv.gz"), gzip("id,name\n3,x\n4,\n"));
    Files.write(in.resolve("c.jsonl.zst"), zstd("{\"id\":5}\n{\"id\":6}"));
    Files.writeString(in.resolve("ignored.txt"), "not matched\n");
    TestSink<Map<String, Object>> sink = new TestSink<>();
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        run(
            FileSourceConfig.builder(in)
                .glob("*.{jsonl,csv.gz,jsonl.zst}")
                .checkpoints(CheckpointStore.inMemory(), "f"),
            sink,
            dead);

    assertThat(report.invariantHolds()).isTrue();
    assertThat(dead.letters()).isEmpty();
    assertThat(sink.values())
        .extracting(m -> m.get("id").toString())
        .containsExactly("1", "2", "3", "4", "5", "6");
    assertThat(sink.values().get(3)).containsEntry("name", null);
    assertThat(sink.envelopes().get(2).position().describe())
        .containsEntry("file", in.resolve("b.csv.gz").toString())
        .containsEntry("line", 2L);
  }

  @Test
  void badInputGoesToDeadLettersWithFileAndLine() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    json.write("{\"id\":1}\n{\"id\": tru\n[1,2]\n\n".getBytes(StandardCharsets.UTF_8));
    json.write(
        new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'});
    json.write(
        ("{\"id\":\"" + "x".repeat(5000) + "\"}\n{\"id\":7}\n").getBytes(StandardCharsets.UTF_8));
    Files.write(in.resolve("a.jsonl"), json.toByteArray());
    Files.writeString(in.resolve("b.csv"), "id,name\n1,a\n2\n3,c,extra\n4,d\n");
    byte[] whole = gzip("{\"id\":10}\n".repeat(2000));
    Files.write(in.resolve("c.jsonl.gz"), Arrays.copyOf(whole, whole.length / 2));
    Files.write(in.resolve("d.jsonl.gz"), "this is not gzip".getBytes(StandardCharsets.UTF_8));
    TestSink<Map<String, Object>> sink = new TestSink<>();
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report = run(FileSourceConfig.builder(in).maxLineBytes(1024), sink, dead);

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.received()).isEqualTo(report.written() + report.deadLettered());
    List<String> where = new ArrayList<>();
    for (DeadLetter letter : dead.letters()) {
      String file = Path.of((String) letter.position().get("file")).getFileName().toString();
      where.add(file + ":" + letter.position().get("line") + ":" + letter.errorMessage());
    }
    assertThat(where)
        .anyMatch(w -> w.startsWith("a.jsonl:2:malformed JSON"))
        .anyMatch(w -> w.startsWith("a.jsonl:3:the line is not a JSON object"))
        .anyMatch(w -> w.startsWith("a.jsonl:4:the line is empty"))
        .anyMatch(w -> w.startsWith("a.jsonl:5:the line is not valid UTF-8"))
        .anyMatch(w -> w.startsWith("a.jsonl:6:line longer than the limit"))
        .anyMatch(w -> w.startsWith("b.csv:3:expected 2 CSV columns but found 1"))
        .anyMatch(w -> w.startsWith("b.csv:4:expected 2 CSV columns but found 3"))
        .anyMatch(w -> w.startsWith("c.jsonl.gz:") && w.contains("truncated or corrupt"))
        .anyMatch(w -> w.startsWith("d.jsonl.gz:1:") && w.contains("truncated or corrupt"));
    assertThat(dead.letters()).allMatch(l -> l.stage().name().equals("SOURCE"));
    long goodGz =
        sink.values().stream().filter(m -> Integer.valueOf(10).equals(m.get("id"))).count();
    assertThat(goodGz).isBetween(1L, 1999L);
    assertThat(sink.values()).extracting(m -> String.valueOf(m.get("id"))).contains("1", "7", "4");
  }

  @Test
  void aRerunSkipsProcessedFilesAndReadsNewOrChangedOnes() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(in.resolve("day1.jsonl"), "{\"id\":1}\n{\"id\":2}\n");
    Files.writeString(in.resolve("day2.jsonl"), "{\"id\":3}\n");
    CheckpointStore store = CheckpointStore.directory(dir.resolve("state"));
    FileSourceConfig.Builder source =
        FileSourceConfig.builder(in).glob("*.jsonl").checkpoints(store, "days");

    RunReport first = run(source, new TestSink<>(), new TestDeadLetterSink());
    RunReport again = run(source, new TestSink<>(), new TestDeadLetterSink());
    Files.writeString(in.resolve("day3.jsonl"), "{\"id\":4}\n");
    Files.writeString(in.resolve("day2.jsonl"), "{\"id\":3}\n{\"id\":33}\n");
    TestSink<Map<String, Object>> third = new TestSink<>();
    run(source, third, new TestDeadLetterSink());

    assertThat(first.written()).isEqualTo(3);
    assertThat(again.received()).isZero();
    assertThat(third.values()).extracting(m -> m.get("id")).containsExactly(3, 33, 4);
  }

  @Test
  void aCrashedRunResumesMidFileAfterTheLastSettledLine() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    StringBuilder lines = new StringBuilder();
    for (int i = 1; i <= 2000; i++) {
      lines.append("{\"id\":").append(i).append("}\n");
    }
    Files.write(in.resolve("big.jsonl.gz"), gzip(lines.toString()));
    CheckpointStore store = CheckpointStore.directory(dir.resolve("state"));
    TestSink<Map<String, Object>> crashed = new TestSink<>();
    assertThatThrownBy(
            () ->
                Pipeline.from(
                        LocalFiles.source(
                            FileSourceConfig.builder(in)
                                .checkpoints(IncrementalLakeJobIT.crashingAfter(store, 3), "big")
                                .build()))
                    .to(crashed)
                    .deadLetters(new TestDeadLetterSink())
                    .batch(BatchPolicy.ofRecords(50).withLinger(Duration.ofMillis(1)))
                    .commitInterval(Duration.ofMillis(1))
                    .build()
                    .run())
        .isInstanceOf(PipelineFailedException.class);
    long checkpointedLine =
        new ObjectMapper().readTree(store.load("big:current").orElseThrow()).get("line").asLong();
    assertThat(checkpointedLine).isPositive();

    TestSink<Map<String, Object>> resumed = new TestSink<>();
    RunReport report =
        Pipeline.from(
                LocalFiles.source(FileSourceConfig.builder(in).checkpoints(store, "big").build()))
            .to(resumed)
            .deadLetters(new TestDeadLetterSink())
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    long firstResumedLine = (Long) resumed.envelopes().get(0).position().describe().get("line");
    assertThat(firstResumedLine).isEqualTo(checkpointedLine + 1);
    assertThat(resumed.values().get(resumed.size() - 1)).containsEntry("id", 2000);
    Set<Object> all = new HashSet<>();
    crashed.values().forEach(m -> all.add(m.get("id")));
    resumed.values().forEach(m -> all.add(m.get("id")));
    assertThat(all).hasSize(2000);
    // Only lines after the last committed one were read again.
    assertThat(resumed.size()).isEqualTo(2000 - (int) firstResumedLine + 1);
    for (Envelope<Map<String, Object>> e : resumed.envelopes()) {
      assertThat(e.position().describe()).containsKey("file");
    }
  }

  /** Runs a pipeline over {@code in} and returns the ids read, checking the no-loss invariant. */
  private List<Object> ids(FileSourceConfig.Builder source) {
    TestSink<Map<String, Object>> sink = new TestSink<>();
    RunReport report = run(source, sink, new TestDeadLetterSink());
    assertThat(report.invariantHolds()).isTrue();
    return sink.values().stream().map(m -> m.get("id")).toList();
  }

  @Test
  void byDefaultAnMtimeOnlyChangeReadsTheFileAgainButCheckSumDoesNot() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path file = in.resolve("a.jsonl");
    Files.writeString(file, "{\"id\":1}\n{\"id\":2}\n");
    CheckpointStore store = CheckpointStore.inMemory();
    FileSourceConfig.Builder byMtime = FileSourceConfig.builder(in).checkpoints(store, "mtime");
    FileSourceConfig.Builder byChecksum =
        FileSourceConfig.builder(in)
            .fingerprint(FileSourceConfig.Fingerprint.CHECKSUM)
            .checkpoints(store, "sum");
    assertThat(ids(byMtime)).containsExactly(1, 2);
    assertThat(ids(byChecksum)).containsExactly(1, 2);

    Files.setLastModifiedTime(
        file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 60_000));

    assertThat(ids(byMtime)).containsExactly(1, 2);
    assertThat(ids(byChecksum)).isEmpty();
  }

  @Test
  void checksumNoticesAContentChangeThatKeepsSizeAndMtimeButTheDefaultDoesNot() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path file = in.resolve("a.jsonl");
    Files.writeString(file, "{\"id\":1}\n{\"id\":2}\n");
    FileTime mtime = Files.getLastModifiedTime(file);
    CheckpointStore store = CheckpointStore.inMemory();
    FileSourceConfig.Builder byMtime = FileSourceConfig.builder(in).checkpoints(store, "mtime");
    FileSourceConfig.Builder byChecksum =
        FileSourceConfig.builder(in)
            .fingerprint(FileSourceConfig.Fingerprint.CHECKSUM)
            .checkpoints(store, "sum");
    assertThat(ids(byMtime)).containsExactly(1, 2);
    assertThat(ids(byChecksum)).containsExactly(1, 2);

    Files.writeString(file, "{\"id\":8}\n{\"id\":9}\n"); // same size
    Files.setLastModifiedTime(file, mtime);

    assertThat(ids(byMtime)).isEmpty();
    assertThat(ids(byChecksum)).containsExactly(8, 9);
  }

  @Test
  void aFileThatChangesWhileItIsReadIsReadAgainFromItsStartOnTheNextRun() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path file = in.resolve("growing.jsonl");
    StringBuilder lines = new StringBuilder();
    for (int i = 1; i <= 2000; i++) {
      lines.append("{\"id\":").append(i).append("}\n");
    }
    Files.writeString(file, lines.toString());
    CheckpointStore store = CheckpointStore.inMemory();
    TestSink<Map<String, Object>> written = new TestSink<>();
    Sink<Map<String, Object>> appendingOnFirstBatch =
        Sink.of(
            "appending",
            batch -> {
              if (written.size() == 0) {
                Files.writeString(file, "{\"id\":2001}\n", StandardOpenOption.APPEND);
              }
              written.write(batch);
            });
    RunReport first =
        Pipeline.from(
                LocalFiles.source(FileSourceConfig.builder(in).checkpoints(store, "g").build()))
            .to(appendingOnFirstBatch)
            .batch(BatchPolicy.ofRecords(50).withLinger(Duration.ofMillis(1)))
            .build()
            .run();
    assertThat(first.invariantHolds()).isTrue();
    assertThat(first.received()).isGreaterThanOrEqualTo(2000);

    TestSink<Map<String, Object>> again = new TestSink<>();
    RunReport second =
        run(FileSourceConfig.builder(in).checkpoints(store, "g"), again, new TestDeadLetterSink());

    assertThat(second.invariantHolds()).isTrue();
    assertThat(again.values())
        .extracting(m -> m.get("id"))
        .containsExactlyElementsOf(
            java.util.stream.IntStream.rangeClosed(1, 2001).boxed().toList());
    assertThat(again.envelopes().get(0).position().describe()).containsEntry("line", 1L);
  }
}
