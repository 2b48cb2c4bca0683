package dev.collect.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three writer processes share one Parquet lake root, each with its own slice (table) and writer
 * name; one is SIGKILLed mid-write and restarted while the others still write.
 */
@Timeout(180)
class SharedLakeWritersIT {
  static final int ROWS_PER_WRITER = 600;

  @TempDir Path dir;

  @Test
  void writersShareARootAndAKilledWriterLeavesEveryCommittedRowOnce() throws Exception {
    DataSource db = Databases.postgres();
    String suffix = Databases.unique();
    Path root = dir.resolve("lake");
    Map<String, String> tables = new HashMap<>();
    for (int w = 1; w <= 3; w++) {
      String table = "lake_src_" + suffix + "_" + w;
      tables.put("w" + w, table);
      Databases.execute(
          db,
          "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY)",
          "INSERT INTO "
              + table
              + " SELECT "
              + (w * 1_000_000L)
              + " + i FROM generate_series(1, "
              + ROWS_PER_WRITER
              + ") AS i");
    }
    Path hold = Files.createFile(dir.resolve("hold")); // holds w2 and w3 after 200 rows
    Process w1 = start(db, tables, root, "w1", 3, hold);
    Process w2 = start(db, tables, root, "w2", 3, hold);
    Process w3 = start(db, tables, root, "w3", 3, hold);
    long[] whileOthersWrite;
    String killedRun = null;
    try {
      while (killedRun == null) {
        assertThat(w1.isAlive()).as("w1 is still writing").isTrue();
        Thread.sleep(20);
        killedRun = runWithFiles(root, "w1", 3);
      }
      w1.destroyForcibly(); // SIGKILL on Linux
      assertThat(w1.waitFor(30, TimeUnit.SECONDS)).isTrue();
      whileOthersWrite = counts(root, "true");

      Process restarted = start(db, tables, root, "w1", 0, dir.resolve("no-hold"));
      assertThat(restarted.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(restarted.exitValue()).isZero();
      assertThat(w2.isAlive() && w3.isAlive()).as("w1 restarted while the others wrote").isTrue();
      Files.delete(hold);
      assertThat(w2.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(w3.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(w2.exitValue()).isZero();
      assertThat(w3.exitValue()).isZero();
    } finally {
      for (Process p : List.of(w1, w2, w3)) {
        p.destroyForcibly();
      }
    }

    // every visible file was readable mid-write, and no id was visible twice
    assertThat(whileOthersWrite[0]).isPositive().isEqualTo(whileOthersWrite[1]);
    assertThat(counts(root, "true")).containsExactly(3L * ROWS_PER_WRITER, 3L * ROWS_PER_WRITER);
    for (String w : List.of("w1", "w2", "w3")) {
      assertThat(counts(root, "writer = '" + w + "'"))
          .containsExactly((long) ROWS_PER_WRITER, (long) ROWS_PER_WRITER);
    }
    List<String> dataFiles = dataFiles(root);
    List<JsonNode> manifests = manifests(root);
    List<String> inManifests = new ArrayList<>();
    List<String> absorbed = new ArrayList<>();
    List<String> absorbedByCompleted = new ArrayList<>();
    for (JsonNode m : manifests) {
      m.get("absorbedRuns").forEach(r -> absorbedByCompleted.add(r.asText()));
      m.get("files").forEach(f -> inManifests.add(f.get("path").asText()));
      if (m.get("status").asText().equals("absorbed")) {
        absorbed.add(m.get("runId").asText());
      }
    }
    String killed = killedRun;
    assertThat(manifests).hasSize(4); // three completed runs and the killed one, absorbed
    assertThat(absorbed).containsExactly(killed);
    // the restarted w1 absorbed its own crashed run only, not the others' live runs
    assertThat(absorbedByCompleted).containsExactly(killed);
    assertThat(inManifests).doesNotHaveDuplicates();
    // every data file is in a completed run's manifest, except the killed run's own
    assertThat(dataFiles.stream().filter(f -> !f.contains("part-" + killed + "-")).toList())
        .containsExactlyInAnyOrderElementsOf(inManifests);
    try (Stream<Path> files = Files.walk(root)) {
      assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
    }
  }

  private Process start(
      DataSource db,
      Map<String, String> tables,
      Path root,
      String writer,
      long delayMillis,
      Path hold)
      throws Exception {
    return ChildJvm.start(
        LakeWriterProcess.class,
        dir.resolve(writer + ".log"),
        Databases.postgresUrl(),
        tables.get(writer),
        root.toString(),
        dir.resolve("state-" + writer).toString(),
        writer,
        Long.toString(delayMillis),
        hold.toString());
  }

  /** The id of {@code writer}'s open run once it has published {@code files} files, or null. */
  private static String runWithFiles(Path root, String writer, int files) throws Exception {
    Path runs = root.resolve("_collect/runs");
    if (!Files.isDirectory(runs)) {
      return null;
    }
    try (Stream<Path> dirs = Files.list(runs)) {
      for (Path run : dirs.toList()) {
        Path name = run.resolve("writer");
        if (Files.exists(name) && Files.readString(name).equals(writer)) {
          try (Stream<Path> sidecars = Files.list(run)) {
            if (sidecars.filter(p -> p.toString().endsWith(".positions")).count() >= files) {
              return run.getFileName().toString();
            }
          }
        }
      }
    }
    return null;
  }

  /** {@code count(*)} and {@code count(DISTINCT id)} of the lake's rows matching {@code where}. */
  private static long[] counts(Path root, String where) throws Exception {
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = duck.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*), count(DISTINCT id) FROM "
                    + DuckDb.scan(LakeWriterProcess.lake(root).build())
                    + " WHERE "
                    + where)) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }

  private static List<String> dataFiles(Path root) throws Exception {
    try (Stream<Path> files = Files.list(root)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".parquet"))
          .toList();
    }
  }

  private static List<JsonNode> manifests(Path root) throws Exception {
    List<JsonNode> manifests = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root.resolve("_collect/runs"))) {
      for (Path p : files.filter(p -> p.endsWith("manifest.json")).sorted().toList()) {
        manifests.add(new ObjectMapper().readTree(p.toFile()));
      }
    }
    return manifests;
  }
}
