package dev.collect.batch.internal.file;

import com.github.luben.zstd.ZstdInputStream;
import dev.collect.batch.FileSourceConfig;
import dev.collect.batch.LakeFormat;
import dev.collect.batch.LocalFiles;
import dev.collect.core.CollectException;
import dev.collect.core.Envelope;
import dev.collect.core.MalformedRecordException;
import dev.collect.core.PipelineContext;
import dev.collect.core.Position;
import dev.collect.core.Source;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/** Reads a directory's matching files one after the other; see {@link LocalFiles}. */
public final class DirectorySource implements Source<Map<String, Object>> {
  private java.time.Clock clock = java.time.Clock.systemUTC();
  private final FileSourceConfig config;
  private final Deque<Path> pending = new ArrayDeque<>();
  private final Map<Path, String> fingerprints = new HashMap<>();
  private final Set<String> present = new LinkedHashSet<>();

  /** Fingerprints of files delivered but not yet known done, in reading order. */
  private final Deque<String> unfinished = new ArrayDeque<>();

  private Progress progress;
  private CurrentFile current;
  private boolean finished;

  public DirectorySource(FileSourceConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public void open(PipelineContext context) throws IOException {
    clock = context.clock();
    progress =
        new Progress(
            config.checkpoints() != null ? config.checkpoints() : context.checkpoints(),
            config.checkpointKey());
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(config.directory(), config.glob())) {
      for (Path p : dir) {
        if (Files.isRegularFile(p)) {
          files.add(p);
        }
      }
    }
    files.sort(null);
    for (Path file : files) {
      String fingerprint = fingerprint(file);
      fingerprints.put(file, fingerprint);
      present.add(fingerprint);
      if (!progress.isDone(fingerprint)) {
        pending.add(file);
      }
    }
  }

  private String fingerprint(Path file) throws IOException {
    String path = file.toAbsolutePath().normalize().toString();
    if (config.fingerprint() == FileSourceConfig.Fingerprint.CHECKSUM) {
      try (InputStream in = Files.newInputStream(file)) {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
          sha.update(buffer, 0, n);
        }
        return path + "|sha256:" + HexFormat.of().formatHex(sha.digest());
      } catch (NoSuchAlgorithmException e) {
        throw new CollectException(
            "this JVM offers no SHA-256 digest, which the CHECKSUM fingerprint needs: run on a JVM"
                + " with the standard security providers, or use the SIZE_AND_MTIME fingerprint",
            e);
      }
    }
    return path + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis();
  }

  @Override
  public List<Envelope<Map<String, Object>>> poll(int maxRecords, Duration timeout)
      throws IOException {
    return poll(maxRecords, Long.MAX_VALUE, timeout);
  }

  @Override
  public List<Envelope<Map<String, Object>>> poll(int maxRecords, long maxBytes, Duration timeout)
      throws IOException {
    List<Envelope<Map<String, Object>>> batch = new ArrayList<>();
    Instant now = clock.instant();
    long bytes = 0;
    while (batch.size() < maxRecords && bytes < maxBytes && !finished) {
      if (current == null && !openNext()) {
        finished = true;
        break;
      }
      Envelope<Map<String, Object>> record = current.next(now);
      if (record == null) {
        current.close();
        current = null;
      } else {
        bytes += record.sizeEstimate();
        batch.add(record);
      }
    }
    return batch;
  }

  private boolean openNext() throws IOException {
    while (!pending.isEmpty()) {
      Path file = pending.poll();
      String fingerprint = fingerprints.get(file);
      CurrentFile next = new CurrentFile(file, fingerprint, progress.settledLines(fingerprint));
      if (next.isEmpty()) {
        next.close();
        progress.fileDone(fingerprint, present);
        continue;
      }
      unfinished.add(fingerprint);
      current = next;
      return true;
    }
    return false;
  }

  @Override
  public boolean isFinished() {
    return finished;
  }

  @Override
  public void commit(Position position) {
    if (!(position instanceof FileLine line)) {
      return;
    }
    // The runtime commits only the newest settled position: files read before this one are done.
    while (!unfinished.isEmpty() && !unfinished.peekFirst().equals(line.fingerprint())) {
      progress.fileDone(unfinished.pollFirst(), present);
    }
    if (line.lastOfFile()) {
      unfinished.remove(line.fingerprint());
      progress.fileDone(line.fingerprint(), present);
    } else {
      progress.lineSettled(line.fingerprint(), line.line());
    }
  }

  @Override
  public void close() throws IOException {
    if (current != null) {
      current.close();
    }
  }

  /** The file being read, one line ahead so that its last line is known as the last. */
  private final class CurrentFile implements AutoCloseable {
    private final String fileName;
    private final String fingerprint;
    private final LineReader reader;
    private final LineParser parser;
    private long lineNumber;
    private byte[] ahead;
    private boolean aheadTooLong;
    private IOException broken;
    private boolean done;

    CurrentFile(Path file, String fingerprint, long skipLines) throws IOException {
      this.fileName = file.toString();
      this.fingerprint = fingerprint;
      this.reader = new LineReader(decompress(file), config.maxLineBytes());
      this.parser = parserFor(file);
      if (parser.hasHeader()) {
        byte[] header = read();
        if (header != null) {
          try {
            parser.header(header);
          } catch (MalformedRecordException e) {
            // Every data line of the file will be dead-lettered with "no readable header".
          }
          lineNumber = 1;
        }
      }
      // Line numbers are physical (the header is line 1), so dead letters point into the file.
      while (lineNumber < skipLines && read() != null) {
        lineNumber++;
      }
      advance();
    }

    private InputStream decompress(Path file) throws IOException {
      InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
      String name = file.getFileName().toString();
      try {
        if (name.endsWith(".gz")) {
          return new GZIPInputStream(in, 1 << 16);
        }
        if (name.endsWith(".zst")) {
          return new ZstdInputStream(in);
        }
        return in;
      } catch (IOException e) {
        // Not even the compressed header is readable: the file yields one dead letter.
        broken = e;
        return InputStream.nullInputStream();
      }
    }

    private LineParser parserFor(Path file) {
      LakeFormat format = config.format();
      if (format == null) {
        String name = file.getFileName().toString().replaceAll("\\.(gz|zst)$", "");
        format = name.endsWith(".csv") ? LakeFormat.CSV : LakeFormat.JSON_LINES;
      }
      return format == LakeFormat.CSV
          ? LineParser.csv(config.csvSeparator())
          : LineParser.jsonLines();
    }

    /** The next raw line, or null at the end or after a read error (kept in {@link #broken}). */
    private byte[] read() {
      if (broken != null) {
        return null;
      }
      try {
        return reader.next();
      } catch (IOException e) {
        broken = e;
        return null;
      }
    }

    private void advance() {
      ahead = read();
      aheadTooLong = ahead != null && reader.lastTooLong();
    }

    boolean isEmpty() {
      return ahead == null && broken == null;
    }

    /** The next record, or null when the file is exhausted. */
    Envelope<Map<String, Object>> next(Instant now) {
      if (done) {
        return null;
      }
      if (ahead == null) {
        if (broken == null) {
          return null;
        }
        // A truncated or corrupt compressed stream: one dead letter after the last good line.
        done = true;
        lineNumber++;
        return Envelope.<Map<String, Object>>builder(null)
            .source(config.name())
            .position(new FileLine(fileName, lineNumber, fingerprint, true))
            .ingestTime(now)
            .failure(
                new MalformedRecordException(
                    "the file is truncated or corrupt after line "
                        + (lineNumber - 1)
                        + " ("
                        + broken.getClass().getSimpleName()
                        + ")",
                    broken))
            .build();
      }
      byte[] line = ahead;
      boolean tooLong = aheadTooLong;
      lineNumber++;
      advance();
      boolean last = ahead == null && broken == null;
      Envelope.Builder<Map<String, Object>> record;
      if (tooLong) {
        byte[] head = Arrays.copyOf(line, Math.min(line.length, 1024));
        record =
            Envelope.<Map<String, Object>>builder(null)
                .raw(head)
                .failure(
                    new MalformedRecordException(
                        "line longer than the limit of " + config.maxLineBytes() + " bytes"));
      } else {
        try {
          record = Envelope.builder(parser.parse(line)).raw(line);
        } catch (MalformedRecordException e) {
          record = Envelope.<Map<String, Object>>builder(null).raw(line).failure(e);
        }
      }
      return record
          .source(config.name())
          .position(new FileLine(fileName, lineNumber, fingerprint, last))
          .ingestTime(now)
          .build();
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }
}
