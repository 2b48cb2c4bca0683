package dev.collect.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every column type in every lake format, with its edge values, read back by DuckDB through {@link
 * DuckDb#scan} and compared value by value.
 */
@Timeout(60)
class LakeRoundTripTest {

  @TempDir Path dir;

  /** The values each column cycles through; every list starts with null. */
  static final Map<ColumnType, List<Object>> EDGES =
      Map.of(
          ColumnType.STRING,
          Arrays.asList(
              null,
              "",
              " ",
              "  padded  ",
              "a,b",
              "say \"hi\"",
              "line\nbreak",
              "carriage\rreturn",
              "tab\there",
              "Grüße, ñandú, 日本語, 😀",
              "NULL",
              "\\N",
              "'single'",
              "2026-11-24",
              "42"),
          ColumnType.INT,
          Arrays.asList(null, Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1),
          ColumnType.LONG,
          Arrays.asList(null, Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, (1L << 53) + 1),
          ColumnType.DOUBLE,
          Arrays.asList(
              null,
              Double.NaN,
              Double.POSITIVE_INFINITY,
              Double.NEGATIVE_INFINITY,
              -0.0,
              0.0,
              Double.MIN_VALUE,
              -Double.MAX_VALUE,
              Double.MAX_VALUE,
              Double.MIN_NORMAL,
              0.1,
              1.0 / 3,
              1e21),
          ColumnType.BOOLEAN,
          Arrays.asList(null, true, false),
          ColumnType.TIMESTAMP,
          Arrays.asList(
              null,
              Instant.parse("0001-01-01T00:00:00Z"),
              Instant.parse("9999-12-31T23:59:59.999999Z"),
              Instant.EPOCH,
              Instant.parse("1969-12-31T23:59:59.999999Z"),
              Instant.parse("2026-11-24T10:15:30.123456Z")),
          ColumnType.DATE,
          Arrays.asList(
              null,
              LocalDate.of(1, 1, 1),
              LocalDate.of(9999, 12, 31),
              LocalDate.EPOCH,
              LocalDate.of(1969, 12, 31),
              LocalDate.of(2024, 2, 29)));

  static final List<Column> COLUMNS =
      Stream.concat(
              Stream.of(Column.required("id", ColumnType.INT)),
              Arrays.stream(ColumnType.values())
                  .map(t -> Column.of("c_" + t.name().toLowerCase(), t)))
          .toList();

  /** Enough rows for every value of the longest list, each column cycling through its own. */
  static List<Map<String, Object>> rows() {
    int count = EDGES.values().stream().mapToInt(List::size).max().orElseThrow();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Map<String, Object> row = new HashMap<>();
      row.put("id", i);
      for (ColumnType t : ColumnType.values()) {
        List<Object> values = EDGES.get(t);
        row.put("c_" + t.name().toLowerCase(), values.get(i % values.size()));
      }
      rows.add(row);
    }
    return rows;
  }

  @ParameterizedTest
  @EnumSource(LakeFormat.class)
  void everyColumnTypeReadsBackFromDuckDbValueByValue(LakeFormat format) throws Exception {
    LakeSinkConfig.Builder lake =
        LakeSinkConfig.builder(dir.resolve("lake")).format(format).columns(COLUMNS);
    TestDeadLetterSink dead = new TestDeadLetterSink();
    List<Map<String, Object>> rows = rows();

    RunReport report =
        Pipeline.from(Source.fromList("edges", rows))
            .to(Lake.sink(lake.build()))
            .deadLetters(dead)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(dead.letters()).isEmpty();
    assertThat(report.written()).isEqualTo(rows.size());
    List<Map<String, Object>> read = readBack(DuckDb.scan(lake.build()));
    assertThat(read).hasSize(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      for (ColumnType t : ColumnType.values()) {
        String column = "c_" + t.name().toLowerCase();
        assertThat(read.get(i).get(column))
            .as("%s row %d column %s", format, i, column)
            .isEqualTo(comparable(t, rows.get(i).get(column)));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(LakeFormat.class)
  void duckDbSeesTheDeclaredTypes(LakeFormat format) throws Exception {
    LakeSinkConfig.Builder lake =
        LakeSinkConfig.builder(dir.resolve("lake")).format(format).columns(COLUMNS);
    Pipeline.from(Source.fromList("edges", rows())).to(Lake.sink(lake.build())).build().run();

    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = duck.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM "
                    + DuckDb.scan(lake.build())
                    + ")")) {
      Map<String, String> types = new HashMap<>();
      while (rs.next()) {
        types.put(rs.getString(1), rs.getString(2));
      }
      assertThat(types)
          .containsEntry("id", "INTEGER")
          .containsEntry("c_string", "VARCHAR")
          .containsEntry("c_int", "INTEGER")
          .containsEntry("c_long", "BIGINT")
          .containsEntry("c_double", "DOUBLE")
          .containsEntry("c_boolean", "BOOLEAN")
          .containsEntry("c_timestamp", "TIMESTAMP WITH TIME ZONE")
          .containsEntry("c_date", "DATE")
          .hasSize(COLUMNS.size());
    }
  }

  @Test
  void csvWritesNullAsAnEmptyFieldAndAnEmptyStringQuoted() throws Exception {
    Path root = dir.resolve("lake");
    LakeSinkConfig.Builder lake =
        LakeSinkConfig.builder(root)
            .format(LakeFormat.CSV)
            .compression(Compression.NONE)
            .columns(TEXT_COLUMNS);

    Pipeline.from(Source.fromList("csv", textRows())).to(Lake.sink(lake.build())).build().run();

    assertThat(Files.readAllLines(onlyFile(root, ".csv")))
        .containsExactly(
            "id,s,x,t,d", "1,\"\",-0.0,\"2026-11-24T10:15:30.123456Z\",2026-11-24", "2,,NaN,,");
    String select = "SELECT list(s IS NULL ORDER BY id)::VARCHAR FROM ";
    assertThat(duckDb(select + DuckDb.scan(lake.build()))).isEqualTo("[false, true]");
    // DuckDB's defaults (allow_quoted_nulls = true) read the empty string as NULL too.
    assertThat(duckDb(select + "read_csv('" + root + "/*.csv')")).isEqualTo("[true, true]");
  }

  @Test
  void jsonLinesWritesTimesAndNonFiniteDoublesAsStringsWhateverTheMapper() throws Exception {
    Path root = dir.resolve("lake");
    ObjectMapper numericDates = new ObjectMapper().registerModule(new JavaTimeModule());

    Pipeline.from(Source.fromList("json", textRows()))
        .to(
            Lake.sink(
                LakeSinkConfig.builder(root)
                    .format(LakeFormat.JSON_LINES)
                    .compression(Compression.NONE)
                    .columns(TEXT_COLUMNS)
                    .mapper(numericDates)
                    .build()))
        .build()
        .run();

    assertThat(Files.readAllLines(onlyFile(root, ".jsonl")))
        .containsExactly(
            "{\"id\":1,\"s\":\"\",\"x\":-0.0,\"t\":\"2026-11-24T10:15:30.123456Z\",\"d\":\"2026-11-24\"}",
            "{\"id\":2,\"s\":null,\"x\":\"NaN\",\"t\":null,\"d\":null}");
  }

  static final List<Column> TEXT_COLUMNS =
      List.of(
          Column.required("id", ColumnType.INT),
          Column.of("s", ColumnType.STRING),
          Column.of("x", ColumnType.DOUBLE),
          Column.of("t", ColumnType.TIMESTAMP),
          Column.of("d", ColumnType.DATE));

  /** An empty string, -0.0, a timestamp and a date; then nulls and NaN. */
  static List<Map<String, Object>> textRows() {
    Map<String, Object> values = new HashMap<>();
    values.put("id", 1);
    values.put("s", "");
    values.put("x", -0.0);
    values.put("t", Instant.parse("2026-11-24T10:15:30.123456Z"));
    values.put("d", LocalDate.of(2026, 11, 24));
    Map<String, Object> nulls = new HashMap<>();
    nulls.put("id", 2);
    nulls.put("s", null);
    nulls.put("x", Double.NaN);
    return List.of(values, nulls);
  }

  private static Path onlyFile(Path root, String suffix) throws Exception {
    try (Stream<Path> files = Files.list(root)) {
      List<Path> matching = files.filter(p -> p.toString().endsWith(suffix)).toList();
      assertThat(matching).hasSize(1);
      return matching.get(0);
    }
  }

  @Test
  void withoutColumnsDuckDbMistypesJsonLinesDoublesAndExtremeLongs() throws Exception {
    LakeSinkConfig.Builder lake =
        LakeSinkConfig.builder(dir.resolve("lake")).format(LakeFormat.JSON_LINES).columns(COLUMNS);
    Pipeline.from(Source.fromList("edges", rows())).to(Lake.sink(lake.build())).build().run();
    String detected = DuckDb.scan(lake.build()).replaceFirst(", columns = \\{.*}\\)$", ")");

    assertThat(duckDb("SELECT typeof(c_double) || ' ' || typeof(c_long) FROM " + detected))
        .isEqualTo("JSON HUGEINT");
  }

  @ParameterizedTest
  @EnumSource(LakeFormat.class)
  void timestampsAndDatesOutsideYears1To9999AreDeadLetteredNamingTheColumn(LakeFormat format)
      throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    rows.add(
        new HashMap<>(Map.of("id", 1, "c_timestamp", Instant.parse("+10000-01-01T00:00:00Z"))));
    rows.add(new HashMap<>(Map.of("id", 2, "c_date", LocalDate.of(0, 12, 31))));
    rows.add(
        new HashMap<>(
            Map.of("id", 3, "c_timestamp", Instant.parse("2026-11-24T10:00:00.123456789Z"))));
    LakeSinkConfig.Builder lake =
        LakeSinkConfig.builder(dir.resolve("lake")).format(format).columns(COLUMNS);
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(Source.fromList("range", rows))
            .to(Lake.sink(lake.build()))
            .deadLetters(dead)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.written()).isEqualTo(1);
    assertThat(dead.letters())
        .extracting(DeadLetter::errorMessage)
        .containsExactlyInAnyOrder(
            "column 'c_timestamp' expects a TIMESTAMP from 0001-01-01T00:00:00Z to"
                + " 9999-12-31T23:59:59.999999Z",
            "column 'c_date' expects a DATE from 0001-01-01 to 9999-12-31");
    // Nanoseconds are cut to the microseconds every format holds.
    assertThat(readBack(DuckDb.scan(lake.build())).get(0).get("c_timestamp"))
        .isEqualTo(comparable(ColumnType.TIMESTAMP, Instant.parse("2026-11-24T10:00:00.123456Z")));
  }

  @Test
  void aJsonLinesRecordThatDoesNotSerialiseIsDeadLetteredAndTheRestWritten() throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    rows.add(new HashMap<>(Map.of("id", 1)));
    rows.add(new HashMap<>(Map.of("id", 2, "thing", new Object())));
    rows.add(new HashMap<>(Map.of("id", 3)));
    LakeSinkConfig.Builder lake =
        LakeSinkConfig.builder(dir.resolve("lake")).format(LakeFormat.JSON_LINES);
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(Source.fromList("schemaless", rows))
            .to(Lake.sink(lake.build()))
            .deadLetters(dead)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.written()).isEqualTo(2);
    assertThat(dead.letters())
        .singleElement()
        .satisfies(
            d -> assertThat(d.errorMessage()).startsWith("the record does not serialise as JSON"));
    assertThat(duckDb("SELECT list(id ORDER BY id)::VARCHAR FROM " + DuckDb.scan(lake.build())))
        .isEqualTo("[1, 3]");
  }

  /** The first column of the first row DuckDB answers. */
  private static String duckDb(String sql) throws Exception {
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = duck.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Each row by {@code id}, each value in the form {@link #comparable} gives. */
  private static List<Map<String, Object>> readBack(String scan) throws Exception {
    StringBuilder select = new StringBuilder("SELECT id");
    for (ColumnType t : ColumnType.values()) {
      String c = "c_" + t.name().toLowerCase();
      select
          .append(", ")
          .append(
              switch (t) {
                case TIMESTAMP -> "epoch_us(" + c + ")";
                case DATE -> "(" + c + " - DATE '1970-01-01')";
                default -> c;
              })
          .append(" AS ")
          .append(c);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = duck.createStatement();
        ResultSet rs = st.executeQuery(select + " FROM " + scan + " ORDER BY id")) {
      while (rs.next()) {
        Map<String, Object> row = new HashMap<>();
        for (ColumnType t : ColumnType.values()) {
          String c = "c_" + t.name().toLowerCase();
          Object v =
              switch (t) {
                case STRING -> rs.getString(c);
                case INT -> rs.getInt(c);
                case DOUBLE -> rs.getDouble(c);
                case BOOLEAN -> rs.getBoolean(c);
                case LONG, TIMESTAMP, DATE -> rs.getLong(c);
              };
          row.put(c, rs.wasNull() ? null : v);
        }
        out.add(row);
      }
    }
    return out;
  }

  /**
   * A written value as {@link #readBack} gives it: instants as epoch microseconds, dates as epoch
   * days; doubles compare by {@link Double#equals}, so NaN equals NaN and -0.0 differs from 0.0.
   */
  private static Object comparable(ColumnType type, Object value) {
    if (value == null) {
      return null;
    }
    return switch (type) {
      case TIMESTAMP ->
          ((Instant) value).getEpochSecond() * 1_000_000 + ((Instant) value).getNano() / 1_000;
      case DATE -> ((LocalDate) value).toEpochDay();
      default -> value;
    };
  }
}
