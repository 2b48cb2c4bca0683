package dev.collect.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Three processes extract one PostgreSQL table together, each its own slice and checkpoint. */
@Timeout(120)
class SlicedExtractionIT {
  static final int ROWS = 9000;

  @Test
  void threeProcessesExtractEveryRowOnce() throws Exception {
    DataSource db = Databases.postgres();
    String suffix = Databases.unique();
    String src = "sliced_src_" + suffix;
    String out = "sliced_out_" + suffix;
    String cp = "sliced_cp_" + suffix;
    Databases.execute(
        db,
        "CREATE TABLE " + src + " (id BIGINT PRIMARY KEY, payload TEXT)",
        // ids with gaps and negatives, as a real table has after deletes
        "INSERT INTO "
            + src
            + " SELECT i * 7 - 5000, 'row-' || i FROM generate_series(1, "
            + ROWS
            + ") AS i",
        "CREATE TABLE " + out + " (id BIGINT NOT NULL, slice INT NOT NULL)");
    Path logs = Files.createDirectories(Path.of("target", "sliced-it-" + suffix));
    JdbcCheckpointStore.create(db, cp); // creates the table before three processes race to

    List<Process> processes = new ArrayList<>();
    for (int index = 0; index < 3; index++) {
      processes.add(
          ChildJvm.start(
              SliceExtractJob.class,
              logs.resolve("slice-" + index + ".log"),
              Databases.postgresUrl(),
              src,
              out,
              cp,
              Integer.toString(index),
              "3"));
    }
    for (Process p : processes) {
      assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("a slice wrote every row it read").isZero();
    }

    assertThat(Databases.queryLong(db, "SELECT count(*) FROM " + out)).isEqualTo(ROWS);
    assertThat(Databases.queryLong(db, "SELECT count(DISTINCT id) FROM " + out)).isEqualTo(ROWS);
    assertThat(
            Databases.queryLong(
                db, "SELECT count(*) FROM " + src + " s JOIN " + out + " o ON o.id = s.id"))
        .as("the union of the slices is the table")
        .isEqualTo(ROWS);
    assertThat(
            Databases.queryLong(
                db, "SELECT count(*) FROM " + out + " WHERE ((id % 3) + 3) % 3 <> slice"))
        .isZero();
    assertThat(Databases.queryLong(db, "SELECT count(DISTINCT slice) FROM " + out)).isEqualTo(3);
    assertThat(Databases.queryLong(db, "SELECT count(*) FROM " + cp)).isEqualTo(3);
  }
}
