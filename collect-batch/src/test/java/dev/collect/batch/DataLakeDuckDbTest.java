package dev.collect.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.DeadLetter;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Source;
import dev.collect.core.testing.TestDeadLetterSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Writes lakes in every format and reads them back with DuckDB. */
@Timeout(60)
class DataLakeDuckDbTest {

  @TempDir Path dir;

  static List<Map<String, Object>> events(int count) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Map<String, Object> row = new HashMap<>();
      row.put("id", (long) i);
      row.put("user", "user-" + (i % 7));
      row.put("amount", i * 1.5);
      row.put("ok", i % 2 == 0);
      row.put("ts", Instant.parse("2026-11-24T10:00:00Z").plusSeconds(i * 3600L));
      rows.add(row);
    }
    return rows;
  }

  static final Column[] COLUMNS = {
    Column.required("id", ColumnType.LONG),
    Column.of("user", ColumnType.STRING),
    Column.of("amount", ColumnType.DOUBLE),
    Column.of("ok", ColumnType.BOOLEAN),
    Column.required("ts", ColumnType.TIMESTAMP)
  };

  @ParameterizedTest
  @CsvSource({
    "PARQUET, SNAPPY, parquet",
    "PARQUET, ZSTD, parquet",
    "JSON_LINES, GZIP, jsonl.gz",
    "JSON_LINES, ZSTD, jsonl.zst",
    "CSV, GZIP, csv.gz"
  })
  void duckDbReadsEveryFormatWithPartitions(LakeFormat format, Compression codec, String ext)
      throws Exception {
    Path lake = dir.resolve("lake");
    TestDeadLetterSink dead = new TestDeadLetterSink();
    LakeSinkConfig.Builder builder =
        LakeSinkConfig.builder(lake)
            .format(format)
            .compression(codec)
            .columns(COLUMNS)
            .partitionBy("event_date", Partitioner.dateOf("ts"))
            .rolling(30, 1 << 20, java.time.Duration.ofHours(1));
    RunReport report =
        Pipeline.from(Source.fromList("events", events(100)))
            .to(Lake.sink(builder.build()))
            .deadLetters(dead)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.written()).isEqualTo(100);
    String reader = DuckDb.scan(builder.build());
    assertThat(reader).contains("/*/*." + ext + "'");
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = duck.createStatement()) {
      st.execute("SET TimeZone = 'UTC'");
      try (ResultSet rs =
          st.executeQuery(
              "SELECT count(*), count(DISTINCT id), count(DISTINCT event_date), sum(amount),"
                  + " min(ts)::VARCHAR, typeof(any_value(id)), typeof(any_value(ts)),"
                  + " count(*) FILTER (WHERE strftime(ts, '%Y-%m-%d') <> event_date::VARCHAR)"
                  + " FROM "
                  + reader)) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(100);
        assertThat(rs.getLong(2)).isEqualTo(100);
        assertThat(rs.getLong(3)).isEqualTo(5); // 100 hours from 10:00 span 5 dates
        assertThat(rs.getDouble(4)).isEqualTo(1.5 * 99 * 100 / 2);
        assertThat(rs.getString(5)).startsWith("2026-11-24 10:00:00");
        assertThat(rs.getString(6)).isEqualTo("BIGINT");
        assertThat(rs.getString(7)).startsWith("TIMESTAMP");
        assertThat(rs.getLong(8)).isZero();
      }
    }
    try (Stream<Path> files = Files.walk(lake)) {
      List<Path> all = files.filter(Files::isRegularFile).toList();
      assertThat(all).noneMatch(p -> p.getFileName().toString().endsWith(".tmp"));
      assertThat(all)
          .filteredOn(p -> p.getFileName().toString().equals("manifest.json"))
          .hasSize(1);
    }
    assertThat(dead.letters()).isEmpty();
  }

  @Test
  void aTornTemporaryFileFromACrashIsRemovedAndNeverRead() throws Exception {
    Path lake = dir.resolve("lake");
    Path partition = Files.createDirectories(lake.resolve("event_date=2026-11-24"));
    Path torn = partition.resolve(".part-crashed-00001.parquet.tmp");
    Files.write(torn, new byte[] {'P', 'A', 'R', '1', 0, 0, 7});

    RunReport report =
        Pipeline.from(Source.fromList("events", events(50)))
            .to(
                Lake.sink(
                    LakeSinkConfig.builder(lake)
                        .columns(COLUMNS)
                        .partitionBy("event_date", Partitioner.dateOf("ts"))
                        .rolling(10, 1 << 20, java.time.Duration.ofHours(1))
                        .build()))
            .build()
            .run();

    assertThat(report.written()).isEqualTo(50);
    assertThat(torn).doesNotExist();
    try (Stream<Path> files = Files.list(partition)) {
      // 14 records on 2026-11-24 (10:00 to 23:00), rolled every 10 records: two files.
      assertThat(files.map(p -> p.getFileName().toString()).toList())
          .hasSize(2)
          .allMatch(name -> name.startsWith("part-") && name.endsWith(".parquet"));
    }
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = duck.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT count(*) FROM read_parquet('" + lake + "/*/*.parquet')")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(50);
    }
  }

  @Test
  void recordsWithWrongTypesAreDeadLetteredAndTheRestWritten() throws Exception {
    List<Map<String, Object>> rows = events(10);
    rows.get(3).put("id", "not-a-number");
    rows.get(5).remove("ts");
    rows.get(7).put("amount", Map.of("nested", 1));
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(Source.fromList("events", rows))
            .to(Lake.sink(LakeSinkConfig.builder(dir.resolve("lake")).columns(COLUMNS).build()))
            .deadLetters(dead)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.written()).isEqualTo(7);
    assertThat(dead.letters())
        .extracting(DeadLetter::errorMessage)
        .anyMatch(m -> m.contains("column 'id' expects LONG"))
        .anyMatch(m -> m.contains("column 'ts' is required"))
        .anyMatch(m -> m.contains("column 'amount' expects DOUBLE"));
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = duck.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT count(*) FROM read_parquet('" + dir + "/lake/*.parquet')")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(7);
    }
  }
}
