package dev.collect.core.internal.io;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.collect.core.DeadLetter;
import dev.collect.core.Envelope;
import dev.collect.core.FilePosition;
import dev.collect.core.MalformedRecordException;
import dev.collect.core.PipelineContext;
import dev.collect.core.Source;
import dev.collect.core.internal.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a dead-letter file back for replay: each envelope's value is the original payload, with the
 * dead letter's origin in headers ({@code collect.dlq.*}) and its event time and key kept.
 */
public final class DeadLetterFileSource implements Source<byte[]> {
  /** Header prefix of the replayed dead letter's metadata. */
  public static final String HEADER_PREFIX = "collect.dlq.";

  private final Path file;
  private final String name;
  private final ObjectReader reader = Json.mapper().readerFor(DeadLetter.class);
  private LineReader lines;
  private boolean finished;

  public DeadLetterFileSource(Path file) {
    this.file = file;
    this.name = "dead-letters:" + file.getFileName();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void open(PipelineContext context) throws IOException {
    lines = new LineReader(file, 0, 0, 64 << 20);
  }

  @Override
  public List<Envelope<byte[]>> poll(int maxRecords, Duration timeout) throws IOException {
    return poll(maxRecords, Long.MAX_VALUE, timeout);
  }

  @Override
  public List<Envelope<byte[]>> poll(int maxRecords, long maxBytes, Duration timeout)
      throws IOException {
    List<Envelope<byte[]>> batch = new ArrayList<>();
    Instant now = Instant.now();
    long bytes = 0;
    while (batch.size() < maxRecords && bytes < maxBytes) {
      byte[] line = lines.next();
      if (line == null) {
        finished = true;
        break;
      }
      FilePosition position = new FilePosition(file.toString(), lines.lineNumber(), lines.offset());
      DeadLetter letter;
      try {
        letter = reader.readValue(line);
      } catch (IOException e) {
        bytes += line.length;
        batch.add(
            Envelope.builder(line)
                .raw(line)
                .source(name)
                .position(position)
                .ingestTime(now)
                .failure(
                    new MalformedRecordException(
                        "not a dead letter (" + e.getClass().getSimpleName() + ")"))
                .build());
        continue;
      }
      Map<String, String> headers =
          new HashMap<>(letter.headers() == null ? Map.of() : letter.headers());
      headers.put(HEADER_PREFIX + "stage", String.valueOf(letter.stage()));
      headers.put(HEADER_PREFIX + "reason", String.valueOf(letter.reason()));
      headers.put(HEADER_PREFIX + "source", String.valueOf(letter.source()));
      headers.put(HEADER_PREFIX + "position", String.valueOf(letter.position()));
      byte[] payload = letter.payloadBytes();
      bytes += payload.length + line.length;
      batch.add(
          Envelope.builder(payload)
              .raw(payload)
              .key(letter.key())
              .eventTime(letter.eventTime())
              .headers(headers)
              .source(name)
              .position(position)
              .ingestTime(now)
              .build());
    }
    return batch;
  }

  @Override
  public boolean isFinished() {
    return finished;
  }

  @Override
  public void close() throws IOException {
    if (lines != null) {
      lines.close();
    }
  }
}
