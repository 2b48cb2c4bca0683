package dev.collect.core.internal.io;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.collect.core.DeadLetter;
import dev.collect.core.Envelope;
import dev.collect.core.FilePosition;
import dev.collect.core.MalformedRecordException;
import dev.collect.core.PipelineContext;
import dev.collect.core.internal.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a dead-letter file back for replay: each envelope's value is the original payload, with the
 * dead letter's origin in headers ({@code collect.dlq.*}) and its event time and key kept.
 */
public final class DeadLetterFileSource extends LineFileSource {
  /** Header prefix of the replayed dead letter's metadata. */
  public static final String HEADER_PREFIX = "collect.dlq.";

  private final ObjectReader letters = Json.mapper().readerFor(DeadLetter.class);

  public DeadLetterFileSource(Path file) {
    super(file, "dead-letters:" + file.getFileName());
  }

  @Override
  public void open(PipelineContext context) throws IOException {
    clock = context.clock();
    reader = new LineReader(file, 0, 0, 64 << 20);
  }

  @Override
  Envelope<byte[]> toEnvelope(byte[] line, FilePosition position, Instant now) {
    DeadLetter letter;
    try {
      letter = letters.readValue(line);
    } catch (IOException e) {
      return Envelope.builder(line)
          .raw(line)
          .source(name())
          .position(position)
          .ingestTime(now)
          .failure(
              new MalformedRecordException(
                  "not a dead letter (" + e.getClass().getSimpleName() + ")"))
          .build();
    }
    Map<String, String> headers =
        new HashMap<>(letter.headers() == null ? Map.of() : letter.headers());
    headers.put(HEADER_PREFIX + "stage", String.valueOf(letter.stage()));
    headers.put(HEADER_PREFIX + "reason", String.valueOf(letter.reason()));
    headers.put(HEADER_PREFIX + "source", String.valueOf(letter.source()));
    headers.put(HEADER_PREFIX + "position", String.valueOf(letter.position()));
    byte[] payload = letter.payloadBytes();
    return Envelope.builder(payload)
        .raw(payload)
        .key(letter.key())
        .eventTime(letter.eventTime())
        .headers(headers)
        .source(name())
        .position(position)
        .ingestTime(now)
        .build();
  }

  @Override
  long bytesOf(Envelope<byte[]> envelope, byte[] line) {
    // The payload and the line it came from; an unreadable line counts once.
    return envelope.value() == line ? line.length : envelope.value().length + line.length;
  }
}
