package dev.collect.batch.internal.lake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.collect.batch.Compression;
import dev.collect.core.MalformedRecordException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON object per line. Values of declared columns are written the same whatever the mapper's
 * settings: instants and dates as ISO-8601 strings, doubles that are not finite as the strings
 * {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"} (JSON has no such numbers). A record
 * that does not serialise is rejected before any of its bytes reach the file.
 */
final class JsonLinesFileWriter extends RecordFileWriter {
  private final OutputStream out;
  private final ObjectWriter writer;
  private final boolean declared;

  JsonLinesFileWriter(Path file, Compression compression, ObjectMapper mapper, boolean declared)
      throws IOException {
    this.out = TextStreams.open(file, compression);
    this.writer = mapper.writerFor(Map.class);
    this.declared = declared;
  }

  @Override
  public void write(Map<String, Object> row) throws IOException {
    byte[] line;
    try {
      line = writer.writeValueAsBytes(declared ? portable(row) : row);
    } catch (JsonProcessingException e) {
      throw new MalformedRecordException(
          "the record does not serialise as JSON (" + e.getClass().getSimpleName() + ")", e);
    }
    out.write(line);
    out.write('\n');
    counted(line.length + 1);
  }

  private static Map<String, Object> portable(Map<String, Object> row) {
    Map<String, Object> out = new LinkedHashMap<>();
    row.forEach(
        (name, v) ->
            out.put(
                name,
                v instanceof Instant
                        || v instanceof LocalDate
                        || (v instanceof Double d && !Double.isFinite(d))
                    ? v.toString()
                    : v));
    return out;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
