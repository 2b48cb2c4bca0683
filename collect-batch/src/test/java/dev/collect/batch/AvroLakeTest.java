package dev.collect.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Source;
import dev.collect.core.testing.TestDeadLetterSink;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Avro records into the lake with columns from their schema, read back with DuckDB. */
@Timeout(60)
class AvroLakeTest {
  static final Schema PROPERTIES =
      SchemaBuilder.record("Properties")
          .fields()
          .requiredString("page")
          .optionalInt("position")
          .endRecord();
  static final Schema DEVICE = SchemaBuilder.enumeration("Device").symbols("mobile", "desktop");
  static final Schema CLICK =
      SchemaBuilder.record("Click")
          .namespace("dev.collect.test")
          .fields()
          .requiredString("event_id")
          .requiredLong("user_id")
          .name("ts")
          .type(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG)))
          .noDefault()
          .name("day")
          .type(LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT)))
          .noDefault()
          .name("device")
          .type(DEVICE)
          .noDefault()
          .optionalDouble("value")
          .name("properties")
          .type(PROPERTIES)
          .noDefault()
          .endRecord();

  @TempDir Path dir;

  static GenericRecord click(int i) {
    GenericRecord properties = new GenericData.Record(PROPERTIES);
    properties.put("page", "page-" + i % 3);
    properties.put("position", i % 2 == 0 ? i : null);
    GenericRecord r = new GenericData.Record(CLICK);
    r.put("event_id", new org.apache.avro.util.Utf8("e-" + i));
    r.put("user_id", 1000L + i);
    r.put("ts", 1_795_000_000_000L + i * 1000L);
    r.put("day", 20_000 + i % 2);
    r.put("device", new GenericData.EnumSymbol(DEVICE, i % 2 == 0 ? "mobile" : "desktop"));
    r.put("value", i % 5 == 0 ? null : i * 0.5);
    r.put("properties", properties);
    return r;
  }

  @Test
  void columnsComeFromTheAvroSchema() {
    List<Column> columns = LakeSinkConfig.builder(dir).avroSchema(CLICK).build().columns();

    assertThat(columns)
        .containsExactly(
            Column.required("event_id", ColumnType.STRING),
            Column.required("user_id", ColumnType.LONG),
            Column.required("ts", ColumnType.TIMESTAMP),
            Column.required("day", ColumnType.DATE),
            Column.required("device", ColumnType.STRING),
            Column.of("value", ColumnType.DOUBLE),
            Column.required("properties_page", ColumnType.STRING),
            Column.of("properties_position", ColumnType.INT));
  }

  @Test
  void typesWithoutAColumnTypeAreRefused() {
    Schema withArray =
        SchemaBuilder.record("R")
            .fields()
            .name("tags")
            .type()
            .array()
            .items()
            .stringType()
            .noDefault()
            .endRecord();

    assertThatThrownBy(() -> LakeSinkConfig.builder(dir).avroSchema(withArray))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("field 'tags' has Avro type ARRAY");
  }

  @ParameterizedTest
  @MethodSource("typesWithoutAColumn")
  void bytesFixedMapsAndOtherUnionsAreRefused(Schema fieldType, String message) {
    Schema schema =
        SchemaBuilder.record("R").fields().name("f").type(fieldType).noDefault().endRecord();

    assertThatThrownBy(() -> LakeSinkConfig.builder(dir).avroSchema(schema))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  static Stream<Arguments> typesWithoutAColumn() {
    Schema string = Schema.create(Schema.Type.STRING);
    return Stream.of(
        Arguments.of(Schema.create(Schema.Type.BYTES), "field 'f' has Avro type BYTES"),
        Arguments.of(Schema.createFixed("F", null, null, 16), "field 'f' has Avro type FIXED"),
        Arguments.of(Schema.createMap(string), "field 'f' has Avro type MAP"),
        Arguments.of(
            Schema.createUnion(string, Schema.create(Schema.Type.LONG)),
            "a union other than [\"null\", X] has no lake column type"),
        Arguments.of(
            Schema.createUnion(
                Schema.create(Schema.Type.NULL), string, Schema.create(Schema.Type.LONG)),
            "a union other than [\"null\", X] has no lake column type"));
  }

  @Test
  void timestampMicrosFloatAndBooleanBecomeTimestampDoubleAndBoolean() throws Exception {
    Schema schema =
        SchemaBuilder.record("Reading")
            .fields()
            .name("read_at")
            .type(LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG)))
            .noDefault()
            .requiredFloat("level")
            .requiredBoolean("ok")
            .endRecord();
    GenericRecord r = new GenericData.Record(schema);
    r.put("read_at", 1_795_000_000_123_456L); // 2026-11-18T11:06:40.123456Z
    r.put("level", 2.5f);
    r.put("ok", true);
    LakeSinkConfig.Builder lake = LakeSinkConfig.builder(dir.resolve("micros")).avroSchema(schema);
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(Source.fromList("readings", List.<Object>of(r)))
            .to(Lake.sink(lake.build()))
            .deadLetters(dead)
            .build()
            .run();

    assertThat(lake.build().columns())
        .containsExactly(
            Column.required("read_at", ColumnType.TIMESTAMP),
            Column.required("level", ColumnType.DOUBLE),
            Column.required("ok", ColumnType.BOOLEAN));
    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.written()).isEqualTo(1);
    assertThat(dead.letters()).isEmpty();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = duck.createStatement()) {
      st.execute("SET TimeZone = 'UTC'");
      try (ResultSet rs =
          st.executeQuery(
              "SELECT read_at::VARCHAR, level, ok, typeof(read_at), typeof(level), typeof(ok) FROM "
                  + DuckDb.scan(lake.build()))) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("2026-11-18 11:06:40.123456+00");
        assertThat(rs.getDouble(2)).isEqualTo(2.5);
        assertThat(rs.getBoolean(3)).isTrue();
        assertThat(rs.getString(4)).isEqualTo("TIMESTAMP WITH TIME ZONE");
        assertThat(rs.getString(5)).isEqualTo("DOUBLE");
        assertThat(rs.getString(6)).isEqualTo("BOOLEAN");
      }
    }
  }

  @Test
  void duckDbReadsAvroRecordsWrittenWithoutAColumnList() throws Exception {
    List<GenericRecord> records = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      records.add(click(i));
    }
    GenericRecord missingRequired =
        new GenericData.Record(
            SchemaBuilder.record("Click").fields().requiredString("event_id").endRecord());
    missingRequired.put("event_id", "broken");
    List<Object> input = new ArrayList<>(records);
    input.add(missingRequired);
    LakeSinkConfig.Builder lake = LakeSinkConfig.builder(dir.resolve("lake")).avroSchema(CLICK);
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(Source.fromList("clicks", input))
            .to(Lake.sink(lake.build()))
            .deadLetters(dead)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.written()).isEqualTo(20);
    assertThat(dead.letters())
        .singleElement()
        .satisfies(l -> assertThat(l.errorMessage()).contains("is required but missing"));
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = duck.createStatement()) {
      st.execute("SET TimeZone = 'UTC'");
      try (ResultSet rs =
          st.executeQuery(
              "SELECT count(*), count(DISTINCT event_id), sum(user_id), min(ts)::VARCHAR,"
                  + " min(day)::VARCHAR, count(*) FILTER (WHERE device = 'mobile'),"
                  + " count(value), count(properties_position), any_value(properties_page LIKE 'page-%'),"
                  + " typeof(any_value(ts)), typeof(any_value(properties_position))"
                  + " FROM "
                  + DuckDb.scan(lake.build()))) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(20);
        assertThat(rs.getLong(2)).isEqualTo(20);
        assertThat(rs.getLong(3)).isEqualTo(20 * 1000L + 190);
        assertThat(rs.getString(4)).startsWith("2026-11-18 ");
        assertThat(rs.getString(5)).isEqualTo("2024-10-04");
        assertThat(rs.getLong(6)).isEqualTo(10);
        assertThat(rs.getLong(7)).isEqualTo(16);
        assertThat(rs.getLong(8)).isEqualTo(10);
        assertThat(rs.getBoolean(9)).isTrue();
        assertThat(rs.getString(10)).startsWith("TIMESTAMP");
        assertThat(rs.getString(11)).isEqualTo("INTEGER");
      }
    }
  }

  @Test
  void olderAndNewerSchemaVersionsAndGeneratedRecordsAreWrittenByFieldName() throws Exception {
    Schema older =
        SchemaBuilder.record("Click")
            .fields()
            .requiredString("event_id")
            .requiredLong("user_id")
            .endRecord();
    Schema newer =
        SchemaBuilder.record("Click")
            .fields()
            .requiredString("event_id")
            .requiredLong("user_id")
            .optionalString("note")
            .requiredString("extra")
            .endRecord();
    Schema lakeSchema =
        SchemaBuilder.record("Click")
            .fields()
            .requiredString("event_id")
            .requiredLong("user_id")
            .optionalString("note")
            .endRecord();
    GenericRecord old = new GenericData.Record(older);
    old.put("event_id", "old");
    old.put("user_id", 1L);
    GenericRecord added = new GenericData.Record(newer);
    added.put("event_id", "new");
    added.put("user_id", 2L);
    added.put("note", "n");
    added.put("extra", "ignored");
    LakeSinkConfig.Builder lake =
        LakeSinkConfig.builder(dir.resolve("versions")).avroSchema(lakeSchema);

    RunReport report =
        Pipeline.from(
                Source.fromList(
                    "clicks", List.<Object>of(old, added, new SpecificClick("gen", 3L))))
            .to(Lake.sink(lake.build()))
            .build()
            .run();

    assertThat(report.written()).isEqualTo(3);
    assertThat(report.invariantHolds()).isTrue();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = duck.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT string_agg(event_id || ':' || user_id || ':' || coalesce(note, '-'), ','"
                    + " ORDER BY user_id) FROM "
                    + DuckDb.scan(lake.build()))) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("old:1:-,new:2:n,gen:3:-");
    }
  }
}
