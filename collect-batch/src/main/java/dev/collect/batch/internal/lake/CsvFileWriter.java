package dev.collect.batch.internal.lake;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.collect.batch.Column;
import dev.collect.batch.Compression;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A header line and one row per record (RFC 4180), with Jackson's CSV module. Null is an empty
 * field and an empty string a quoted one ({@code ""}), so readers keep them apart (DuckDB with
 * {@code allow_quoted_nulls = false}). Every value is written as its text ({@code toString()}):
 * ISO-8601 instants and dates, {@code NaN}, {@code Infinity}, {@code -Infinity} and {@code -0.0}
 * for doubles, all of which DuckDB parses back to the same value.
 */
final class CsvFileWriter extends RecordFileWriter {
  private static final CsvMapper MAPPER =
      CsvMapper.builder().enable(CsvGenerator.Feature.ALWAYS_QUOTE_EMPTY_STRINGS).build();
  private final SequenceWriter writer;
  private final List<Column> columns;

  CsvFileWriter(Path file, Compression compression, List<Column> columns) throws IOException {
    this.columns = columns;
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    columns.forEach(c -> schema.addColumn(c.name()));
    this.writer =
        MAPPER
            .writerFor(Map.class)
            .with(schema.build())
            .writeValues(TextStreams.open(file, compression));
  }

  @Override
  public void write(Map<String, Object> row) throws IOException {
    Map<String, String> text = new LinkedHashMap<>();
    for (Column c : columns) {
      Object v = row.get(c.name());
      String s = v == null ? null : v.toString();
      text.put(c.name(), s);
      counted(s == null ? 1 : s.length() + 1);
    }
    writer.write(text);
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
