package dev.collect.batch.internal.lake;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.collect.batch.Column;
import dev.collect.batch.Compression;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A header line and one row per record, with Jackson's CSV module. */
final class CsvFileWriter implements RecordFileWriter {
  private static final CsvMapper MAPPER = new CsvMapper();
  private final SequenceWriter writer;
  private final List<Column> columns;
  private long bytes;

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
    Map<String, Object> text = new LinkedHashMap<>();
    for (Column c : columns) {
      Object v = row.get(c.name());
      // Instants as ISO-8601 text, which every CSV reader (DuckDB, Spark) parses as a timestamp.
      text.put(c.name(), v instanceof Instant i ? i.toString() : v);
      bytes += v == null ? 1 : v.toString().length() + 1;
    }
    writer.write(text);
  }

  @Override
  public long bytesEstimate() {
    return bytes;
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
