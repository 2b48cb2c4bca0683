package dev.collect.core.internal.io;

import dev.collect.core.Envelope;
import dev.collect.core.FilePosition;
import dev.collect.core.Source;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of a file as one envelope each, with {@link FilePosition}s: the poll loop (record and
 * byte bounds, end of file) shared by the file sources; a subclass opens the reader where it
 * resumes and turns each line into an envelope.
 */
abstract class LineFileSource implements Source<byte[]> {
  final Path file;
  private final String fileName;
  private final String name;
  LineReader reader;

  /** The pipeline's clock, from {@link #open}; subclasses' {@code open} sets it. */
  Clock clock = Clock.systemUTC();

  private boolean finished;

  LineFileSource(Path file, String name) {
    this.file = file;
    this.fileName = file.toString();
    this.name = name;
  }

  /** The envelope of {@code line}, read at {@code position}. */
  abstract Envelope<byte[]> toEnvelope(byte[] line, FilePosition position, Instant now);

  /** What {@code envelope}, made from {@code line}, counts against a poll's byte bound. */
  long bytesOf(Envelope<byte[]> envelope, byte[] line) {
    return envelope.sizeEstimate();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<Envelope<byte[]>> poll(int maxRecords, Duration timeout) throws IOException {
    return poll(maxRecords, Long.MAX_VALUE, timeout);
  }

  @Override
  public List<Envelope<byte[]>> poll(int maxRecords, long maxBytes, Duration timeout)
      throws IOException {
    if (finished) {
      return List.of();
    }
    List<Envelope<byte[]>> batch = new ArrayList<>(Math.min(maxRecords, 1024));
    Instant now = clock.instant();
    long bytes = 0;
    while (batch.size() < maxRecords && bytes < maxBytes) {
      byte[] line = reader.next();
      if (line == null) {
        finished = true;
        break;
      }
      FilePosition position = new FilePosition(fileName, reader.lineNumber(), reader.offset());
      Envelope<byte[]> envelope = toEnvelope(line, position, now);
      bytes += bytesOf(envelope, line);
      batch.add(envelope);
    }
    return batch;
  }

  @Override
  public boolean isFinished() {
    return finished;
  }

  @Override
  public void close() throws IOException {
    if (reader != null) {
      reader.close();
    }
  }
}
