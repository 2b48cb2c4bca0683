package dev.collect.batch.internal.lake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.collect.batch.Compression;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;

/** One JSON object per line. */
final class JsonLinesFileWriter implements RecordFileWriter {
  private final OutputStream out;
  private final ObjectWriter writer;
  private long bytes;

  JsonLinesFileWriter(Path file, Compression compression, ObjectMapper mapper) throws IOException {
    this.out = TextStreams.open(file, compression);
    this.writer = mapper.writerFor(Map.class);
  }

  @Override
  public void write(Map<String, Object> row) throws IOException {
    byte[] line = writer.writeValueAsBytes(row);
    out.write(line);
    out.write('\n');
    bytes += line.length + 1;
  }

  @Override
  public long bytesEstimate() {
    return bytes;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
