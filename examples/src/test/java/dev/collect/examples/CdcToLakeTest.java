package dev.collect.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.examples.cdc.CdcToLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(180)
class CdcToLakeTest {

  @TempDir Path dir;

  @Test
  void snapshotAndChangesLandInTheLakeWithFieldDiffs() throws Exception {
    CdcToLake.Result result = CdcToLake.run(40, null, "postgres", dir);

    assertThat(result.report().invariantHolds()).isTrue();
    assertThat(result.report().deadLettered()).isZero();
    assertThat(result.byOperation())
        .containsEntry("read", 40L)
        .containsEntry("create", 10L)
        .containsEntry("update", 9L) // 8 upgrades and the churn-risk update
        .containsEntry("delete", 4L)
        .containsKey("schema_change");

    List<String> updates;
    try (Stream<Path> files = Files.walk(dir.resolve("lake"))) {
      Path updateFile =
          files
              .filter(p -> p.toString().contains("operation=update"))
              .filter(Files::isRegularFile)
              .findFirst()
              .orElseThrow();
      updates = Files.readAllLines(updateFile);
    }
    assertThat(updates)
        .anyMatch(
            u ->
                u.contains("\"tier\":{\"new\":\"gold\",\"old\":\"silver\"}")
                    || u.contains("\"tier\":{\"old\":\"silver\",\"new\":\"gold\"}"));
  }
}
