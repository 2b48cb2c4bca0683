package dev.collect.batch.internal.lake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.collect.batch.Column;
import dev.collect.batch.Lake;
import dev.collect.batch.LakeSinkConfig;
import dev.collect.batch.LakeWriter;
import dev.collect.batch.internal.AtomicFiles;
import dev.collect.batch.internal.Fingerprints;
import dev.collect.core.Envelope;
import dev.collect.core.MalformedRecordException;
import dev.collect.core.PipelineContext;
import dev.collect.core.Position;
import dev.collect.core.RecordsRejectedException;
import dev.collect.core.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The data-lake sink; see {@link Lake} for its guarantees. */
public final class LakeSink<T> implements LakeWriter<T> {
  private static final Logger LOG = LoggerFactory.getLogger(LakeSink.class);
  static final String STATE_DIR = "_collect";

  private final LakeSinkConfig config;
  private final ObjectMapper mapper;
  private final Map<String, OpenFile> open = new HashMap<>();
  private final List<RunManifest.FileEntry> published = new ArrayList<>();
  private RunDirectory run;
  private String runId;
  private Path runDir;
  private Instant startedAt;
  private ReplayFence fence;
  private int fileSeq;
  private long records;
  private long skipped;
  private long maxPublishedSeq;
  private volatile long committedSeq;
  private boolean tracked;
  private IOException broken;

  public LakeSink(LakeSinkConfig config) {
    this.config = config;
    this.mapper =
        config.mapper() != null
            ? config.mapper()
            : new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public <R> Source<R> committing(Source<R> source) {
    tracked = true;
    return new CommittingSource<>(source, this);
  }

  @Override
  public void open(PipelineContext context) throws IOException {
    Path root = config.root();
    Files.createDirectories(root);
    Path runs = root.resolve(STATE_DIR).resolve("runs");
    startedAt = Instant.now();
    // Locked before looking at the others, so that no other writer takes this run for crashed.
    run = RunDirectory.create(runs, startedAt, config.writer());
    runId = run.id;
    runDir = run.dir;
    List<Path> crashed = RunDirectory.crashed(runs);
    deleteStaleTemps(root, runs, crashed);
    List<Path> own = new ArrayList<>();
    for (Path dir : crashed) {
      if (RunDirectory.writerOf(dir).equals(config.writer())) {
        own.add(dir);
      }
    }
    fence = ReplayFence.load(root, own);
    if (fence.pending() > 0) {
      LOG.info(
          "lake {}: {} record(s) published by crashed run(s) {} will be skipped when replayed",
          root,
          fence.pending(),
          fence.absorbedRuns().stream().map(p -> p.getFileName().toString()).toList());
    }
  }

  /**
   * Deletes the temporary files of crashed runs: their data files anywhere under the root (named
   * {@code .part-<run>-...tmp}; a run whose directory is gone counts as crashed, since a live run
   * creates its directory before any file), and anything temporary in their run directories. Other
   * writers' live runs are left alone; files vanishing during the walk (renamed by a live writer)
   * are expected.
   */
  private static void deleteStaleTemps(Path root, Path runs, List<Path> crashed)
      throws IOException {
    List<String> crashedIds = crashed.stream().map(d -> d.getFileName().toString()).toList();
    List<Path> dirs = crashed.stream().map(Path::toAbsolutePath).toList();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) throws IOException {
            if (isTemp(p)
                && (isStaleData(p.getFileName().toString())
                    || dirs.stream().anyMatch(p.toAbsolutePath()::startsWith))) {
              Files.deleteIfExists(p);
            }
            return FileVisitResult.CONTINUE;
          }

          private boolean isStaleData(String name) {
            if (!name.startsWith(".part-") || name.lastIndexOf('-') < 6) {
              return false;
            }
            String runId = name.substring(6, name.lastIndexOf('-'));
            return crashedIds.contains(runId) || !Files.exists(runs.resolve(runId));
          }

          @Override
          public FileVisitResult visitFileFailed(Path p, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }
        });
  }

  private static boolean isTemp(Path p) {
    String name = p.getFileName().toString();
    return name.startsWith(".") && name.endsWith(".tmp");
  }

  @Override
  public void write(List<Envelope<T>> batch) throws IOException {
    checkNotBroken();
    Map<Integer, Throwable> rejected = new HashMap<>();
    try {
      for (int i = 0; i < batch.size(); i++) {
        Envelope<T> envelope = batch.get(i);
        Position position = envelope.position();
        long seq = 0;
        if (position instanceof SequencedPosition s) {
          seq = s.seq();
          position = s.inner();
        }
        long fingerprint = Fingerprints.of(position);
        if (fence.alreadyPublished(fingerprint)) {
          skipped++;
          continue;
        }
        Map<String, Object> row;
        String partition;
        try {
          Map<String, Object> record = asMap(envelope.value());
          partition = partitionDir(record);
          row = convert(record);
        } catch (RuntimeException e) {
          rejected.put(i, e);
          continue;
        }
        OpenFile file = open.computeIfAbsent(partition, this::newFileUnchecked);
        try {
          file.writer.write(row);
        } catch (MalformedRecordException e) {
          rejected.put(i, e); // a writer rejects a record before any of its bytes are written
          continue;
        }
        file.add(fingerprint, seq);
        if (file.records >= config.maxRecordsPerFile()
            || file.writer.bytesEstimate() >= config.maxBytesPerFile()
            || System.nanoTime() - file.openedAtNanos >= config.maxFileAge().toNanos()) {
          open.remove(partition);
          publish(file);
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      // Records of earlier batches sit in the open files: a retried batch would duplicate
      // them and dropping them would lose them, so the sink refuses all further work and the
      // pipeline stops without committing; a restart replays the uncommitted tail.
      broken = e instanceof IOException io ? io : ((java.io.UncheckedIOException) e).getCause();
      throw broken;
    }
    if (!rejected.isEmpty()) {
      throw new RecordsRejectedException(rejected);
    }
  }

  private void checkNotBroken() throws IOException {
    if (broken != null) {
      throw new IOException(
          "lake sink " + config.name() + " failed earlier and accepts no more records: restart",
          broken);
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> asMap(Object value) {
    if (value == null) {
      throw new MalformedRecordException("a null record cannot be written to a lake");
    }
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    if (value instanceof org.apache.avro.generic.IndexedRecord avro) {
      return AvroRows.row(avro);
    }
    return mapper.convertValue(value, Map.class);
  }

  private Map<String, Object> convert(Map<String, Object> record) {
    if (config.columns().isEmpty()) {
      return record;
    }
    Map<String, Object> row = new LinkedHashMap<>();
    for (Column c : config.columns()) {
      Object value = Values.convert(c.name(), c.type(), record.get(c.name()));
      if (value == null && !c.nullable()) {
        throw new MalformedRecordException("column '" + c.name() + "' is required but missing");
      }
      row.put(c.name(), value);
    }
    return row;
  }

  private String partitionDir(Map<String, Object> record) {
    if (config.partitioner() == null) {
      return "";
    }
    String value = config.partitioner().partitionOf(record);
    return config.partitionColumn()
        + "="
        + (value == null ? "__HIVE_DEFAULT_PARTITION__" : escape(value));
  }

  /** Hive's escaping of partition values: path-unsafe characters become {@code %XX}. */
  static String escape(String value) {
    StringBuilder out = new StringBuilder();
    for (char c : value.toCharArray()) {
      if (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == ' ') {
        out.append(c);
      } else {
        out.append(String.format("%%%02X", (int) c));
      }
    }
    return out.toString();
  }

  private OpenFile newFileUnchecked(String partition) {
    try {
      return newFile(partition);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private OpenFile newFile(String partition) throws IOException {
    Path dir = partition.isEmpty() ? config.root() : config.root().resolve(partition);
    Files.createDirectories(dir);
    String fileId = String.format("part-%s-%05d", runId, ++fileSeq);
    String fileName =
        fileId
            + "."
            + config.format().extension()
            + (config.format() == dev.collect.batch.LakeFormat.PARQUET
                ? ""
                : config.compression().textSuffix());
    Path temp = dir.resolve("." + fileName + ".tmp");
    RecordFileWriter writer =
        switch (config.format()) {
          case JSON_LINES ->
              new JsonLinesFileWriter(
                  temp, config.compression(), mapper, !config.columns().isEmpty());
          case CSV -> new CsvFileWriter(temp, config.compression(), config.columns());
          case PARQUET -> new ParquetFileWriter(temp, config.compression(), config.columns());
        };
    return new OpenFile(partition, fileId, temp, dir.resolve(fileName), writer);
  }

  private void publish(OpenFile file) throws IOException {
    file.writer.close();
    if (file.records == 0) { // its only records were rejected
      Files.delete(file.temp);
      return;
    }
    String relative =
        config.root().relativize(file.target).toString().replace(java.io.File.separatorChar, '/');
    ReplayFence.writeSidecar(
        runDir.resolve(file.fileId + ".positions"),
        relative,
        file.fingerprints,
        file.seqs,
        file.records);
    AtomicFiles.publish(file.temp, file.target);
    published.add(
        new RunManifest.FileEntry(relative, file.partition, file.records, Files.size(file.target)));
    records += file.records;
    maxPublishedSeq = Math.max(maxPublishedSeq, file.maxSeq);
  }

  /** Closes and publishes every open file: a committed position is backed by published files. */
  @Override
  public void flush() throws IOException {
    checkNotBroken();
    try {
      for (OpenFile file : List.copyOf(open.values())) {
        open.remove(file.partition);
        publish(file);
      }
    } catch (IOException e) {
      broken = e;
      throw e;
    }
  }

  /** Everything the source delivered up to {@code seq} is committed there. */
  void committed(long seq) throws IOException {
    committedSeq = seq;
    AtomicFiles.write(
        runDir.resolve("committed"), Long.toString(seq).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean isIdempotent() {
    return true;
  }

  @Override
  public boolean isThreadSafe() {
    return false;
  }

  @Override
  public void close() throws IOException {
    if (runDir == null) {
      return;
    }
    try {
      finish();
    } finally {
      run.close();
    }
  }

  private void finish() throws IOException {
    if (broken == null) {
      flush();
    }
    boolean clean = broken == null && (!tracked || maxPublishedSeq <= committedSeq);
    if (!clean) {
      LOG.warn(
          "lake {}: run {} ended with published records beyond the last commit; the next run"
              + " will skip them when they are replayed",
          config.root(),
          runId);
      return;
    }
    List<String> absorbed =
        fence.absorbedRuns().stream().map(p -> p.getFileName().toString()).toList();
    writeManifest(runDir, "completed", published, absorbed);
    for (Path run : fence.absorbedRuns()) {
      writeManifest(run, "absorbed", List.of(), List.of());
    }
  }

  private void writeManifest(
      Path dir, String status, List<RunManifest.FileEntry> files, List<String> absorbed)
      throws IOException {
    boolean own = dir.equals(runDir);
    RunManifest manifest =
        new RunManifest(
            dir.getFileName().toString(),
            status,
            own ? startedAt : null,
            Instant.now(),
            own ? records : 0,
            own ? skipped : 0,
            files,
            absorbed);
    AtomicFiles.write(
        dir.resolve(RunManifest.FILE_NAME),
        mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
  }
}
