package dev.collect.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.core.BatchPolicy;
import dev.collect.core.Envelope;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The lake rolls a file once it reaches its byte limit, and at the first write after its age. */
@Timeout(60)
class LakeRollingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private static LakeSinkConfig.Builder jsonLines(Path root) {
    return LakeSinkConfig.builder(root)
        .format(LakeFormat.JSON_LINES)
        .compression(Compression.NONE)
        .columns(Column.required("id", ColumnType.STRING));
  }

  private static List<Map<String, Object>> records(int from, int to) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(Map.of("id", String.format("r%03d", i)));
    }
    return out;
  }

  @Test
  void aFileIsRolledOnceItsUncompressedBytesReachTheLimit() throws Exception {
    Path root = dir.resolve("lake");
    int line = "{\"id\":\"r000\"}\n".length();
    LakeSinkConfig config =
        jsonLines(root).rolling(1_000_000, 5L * line + 1, Duration.ofHours(1)).build();

    RunReport report =
        Pipeline.from(Source.fromList("rows", records(0, 100)))
            .to(Lake.sink(config))
            .commitInterval(Duration.ofHours(1))
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.written()).isEqualTo(100);
    // 5 lines stay under the limit, the 6th reaches it: files of 6 lines, the rest at the end.
    List<List<String>> files = publishedFiles(root);
    assertThat(files).hasSize(17);
    assertThat(files.subList(0, 16)).allSatisfy(ids -> assertThat(ids).hasSize(6));
    assertThat(files.get(16)).hasSize(4);
    assertThat(files.stream().flatMap(List::stream).toList())
        .containsExactlyElementsOf(
            records(0, 100).stream().map(m -> (String) m.get("id")).toList());
  }

  @Test
  void aFileIsRolledAtTheFirstWriteAfterItsAge() throws Exception {
    Path root = dir.resolve("lake");
    Duration age = Duration.ofMillis(500);
    LakeSinkConfig config = jsonLines(root).rolling(1_000_000, 1L << 30, age).build();
    Source<Map<String, Object>> twoBursts =
        new Source<>() {
          int polls;

          @Override
          public String name() {
            return "bursts";
          }

          @Override
          public List<Envelope<Map<String, Object>>> poll(int max, Duration timeout)
              throws InterruptedException {
            polls++;
            if (polls == 1) {
              return envelopes(records(0, 3));
            }
            if (polls > 2) {
              return List.of();
            }
            // The second burst comes well after the first file's age has passed.
            Thread.sleep(age.toMillis() * 3);
            return envelopes(records(3, 6));
          }

          @Override
          public boolean isFinished() {
            return polls >= 2;
          }
        };

    RunReport report =
        Pipeline.from(twoBursts)
            .to(Lake.sink(config))
            .batch(BatchPolicy.ofRecords(100).withLinger(Duration.ofMillis(1)))
            .commitInterval(Duration.ofHours(1))
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.written()).isEqualTo(6);
    assertThat(publishedFiles(root))
        .containsExactly(List.of("r000", "r001", "r002", "r003"), List.of("r004", "r005"));
  }

  private static List<Envelope<Map<String, Object>>> envelopes(List<Map<String, Object>> rows) {
    return rows.stream().map(Envelope::of).toList();
  }

  /** The ids of each published data file, files in name (and so publishing) order. */
  private static List<List<String>> publishedFiles(Path root) throws IOException {
    List<List<String>> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(root)) {
      for (Path file :
          files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
        List<String> ids = new ArrayList<>();
        for (String l : Files.readAllLines(file)) {
          ids.add(JSON.readTree(l).get("id").asText());
        }
        out.add(ids);
      }
    }
    return out;
  }
}
