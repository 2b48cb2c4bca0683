package dev.collect.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Source;
import dev.collect.core.testing.TestDeadLetterSink;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.TimestampType;
import org.apache.parquet.format.Type;
import org.apache.parquet.format.Util;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The physical types of the lake's Parquet files, read from the file's own footer. */
@Timeout(60)
class LakeParquetSchemaTest {
  @TempDir Path dir;

  @Test
  void parquetFilesStoreEachColumnTypeAsTheReadmeTableSays() throws Exception {
    Path lake = dir.resolve("lake");
    Map<String, Object> row = new HashMap<>();
    row.put("s", "text");
    row.put("i", 7);
    row.put("l", 8L);
    row.put("d", 1.5);
    row.put("b", true);
    row.put("ts", Instant.parse("2026-11-24T10:15:30.123456Z"));
    row.put("day", LocalDate.parse("2026-11-24"));
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(Source.fromList("rows", List.of(row)))
            .to(
                Lake.sink(
                    LakeSinkConfig.builder(lake)
                        .format(LakeFormat.PARQUET)
                        .columns(
                            Column.of("s", ColumnType.STRING),
                            Column.of("i", ColumnType.INT),
                            Column.of("l", ColumnType.LONG),
                            Column.of("d", ColumnType.DOUBLE),
                            Column.of("b", ColumnType.BOOLEAN),
                            Column.of("ts", ColumnType.TIMESTAMP),
                            Column.of("day", ColumnType.DATE))
                        .build()))
            .deadLetters(dead)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.written()).isEqualTo(1);
    assertThat(dead.letters()).isEmpty();
    Map<String, SchemaElement> schema = schemaOf(onlyParquetFile(lake));
    assertThat(schema.keySet()).containsExactly("s", "i", "l", "d", "b", "ts", "day");
    assertThat(schema.get("s").getType()).isEqualTo(Type.BYTE_ARRAY);
    assertThat(schema.get("s").getLogicalType().isSetSTRING()).isTrue();
    assertThat(schema.get("i").getType()).isEqualTo(Type.INT32);
    assertThat(schema.get("l").getType()).isEqualTo(Type.INT64);
    assertThat(schema.get("d").getType()).isEqualTo(Type.DOUBLE);
    assertThat(schema.get("b").getType()).isEqualTo(Type.BOOLEAN);
    assertThat(schema.get("ts").getType()).isEqualTo(Type.INT64);
    TimestampType ts = schema.get("ts").getLogicalType().getTIMESTAMP();
    assertThat(ts.isIsAdjustedToUTC()).isTrue();
    assertThat(ts.getUnit().isSetMICROS()).isTrue();
    assertThat(schema.get("day").getType()).isEqualTo(Type.INT32);
    assertThat(schema.get("day").getLogicalType().isSetDATE()).isTrue();
  }

  @Test
  void duckDbScanOfTheReadmeExampleIsExactlyItsReadParquetCall() {
    LakeSinkConfig lakeConfig =
        LakeSinkConfig.builder(Path.of("lake/events"))
            .format(LakeFormat.PARQUET)
            .columns(
                Column.required("id", ColumnType.LONG),
                Column.of("user_id", ColumnType.STRING),
                Column.required("updated_at", ColumnType.TIMESTAMP))
            .partitionBy("event_date", Partitioner.dateOf("updated_at"))
            .build();

    String scan = DuckDb.scan(lakeConfig);

    assertThat(scan).isEqualTo("read_parquet('lake/events/*/*.parquet', hive_partitioning = true)");
  }

  private static Path onlyParquetFile(Path lake) throws Exception {
    try (Stream<Path> files = Files.walk(lake)) {
      List<Path> parquet =
          files.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList();
      assertThat(parquet).hasSize(1);
      return parquet.get(0);
    }
  }

  /** The leaf columns of the file's footer, read with parquet-format's own Thrift structures. */
  private static Map<String, SchemaElement> schemaOf(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer tail = ByteBuffer.wrap(bytes, bytes.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN);
    int footerLength = tail.getInt();
    assertThat(new String(bytes, bytes.length - 4, 4, StandardCharsets.US_ASCII)).isEqualTo("PAR1");
    FileMetaData footer =
        Util.readFileMetaData(
            new ByteArrayInputStream(bytes, bytes.length - 8 - footerLength, footerLength));
    Map<String, SchemaElement> leaves = new LinkedHashMap<>();
    footer.getSchema().stream().skip(1).forEach(e -> leaves.put(e.getName(), e));
    return leaves;
  }
}
