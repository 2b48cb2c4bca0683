package dev.collect.batch;

import dev.collect.core.BatchPolicy;
import dev.collect.core.CheckpointStore;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import dev.collect.core.Validator;
import dev.collect.core.testing.TestDeadLetterSink;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Throughput of file -> validate -> Parquet and -> JSON Lines (gzip), and of JDBC extraction from
 * the local PostgreSQL. A main, not a test: run by hand (see the module README), figures printed.
 * Arguments: {@code [records=1000000] [jdbcRows=1000000]}; {@code COLLECT_PG_URL} overrides the
 * PostgreSQL URL (default {@code jdbc:postgresql://127.0.0.1:5432/test?user=root}).
 */
public final class BatchBenchmark {

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int jdbcRows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    Path work = Files.createTempDirectory("collect-batch-bench");
    Path input = work.resolve("in/events.jsonl.gz");
    Files.createDirectories(input.getParent());
    long rawBytes = writeInput(input, records);
    System.out.printf(
        Locale.ROOT,
        "input: %,d records, %.1f MB uncompressed, %.1f MB gzip%n",
        records,
        rawBytes / 1e6,
        Files.size(input) / 1e6);

    for (LakeFormat format : new LakeFormat[] {LakeFormat.PARQUET, LakeFormat.JSON_LINES}) {
      for (int round = 0; round < 2; round++) { // the first round warms the JIT up
        Path lake = work.resolve("lake-" + format + "-" + round);
        RunReport report = fileToLake(work.resolve("in"), lake, format);
        double seconds = report.elapsed().toNanos() / 1e9;
        System.out.printf(
            Locale.ROOT,
            "%s file -> validate -> %s: %,d written, %,d dead-lettered in %.2f s: %,.0f records/s,"
                + " %.1f MB/s of JSON input, %.1f MB on disk%n",
            round == 0 ? "warm-up" : "measured",
            format == LakeFormat.PARQUET ? "Parquet (snappy)" : "JSON Lines (gzip)",
            report.written(),
            report.deadLettered(),
            seconds,
            report.sourceRecords() / seconds,
            rawBytes / 1e6 / seconds,
            size(lake) / 1e6);
      }
    }
    jdbc(jdbcRows);
  }

  private static long writeInput(Path file, int records) throws Exception {
    long bytes = 0;
    try (BufferedWriter out =
        new BufferedWriter(
            new OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(file), 1 << 16), StandardCharsets.UTF_8),
            1 << 16)) {
      for (int i = 0; i < records; i++) {
        String line =
            "{\"id\":"
                + i
                + ",\"user_id\":\"user-"
                + (i % 9973)
                + "\",\"amount\":"
                + (i % 1000) / 10.0
                + ",\"event_type\":\""
                + (i % 3 == 0 ? "view" : i % 3 == 1 ? "click" : "purchase")
                + "\",\"ts\":\"2026-11-"
                + (20 + i % 5)
                + "T"
                + String.format(Locale.ROOT, "%02d", i % 24)
                + ":00:00Z\"}\n";
        out.write(line);
        bytes += line.length();
      }
    }
    return bytes;
  }

  private static RunReport fileToLake(Path in, Path lake, LakeFormat format) {
    return Pipeline.from(
            LocalFiles.source(
                FileSourceConfig.builder(in)
                    .checkpoints(CheckpointStore.inMemory(), "bench")
                    .build()))
        .validate(
            Validator.<Map<String, Object>>rule("id", "must be present", m -> m.get("id") != null))
        .to(
            Lake.sink(
                LakeSinkConfig.builder(lake)
                    .format(format)
                    .columns(
                        Column.required("id", ColumnType.LONG),
                        Column.of("user_id", ColumnType.STRING),
                        Column.of("amount", ColumnType.DOUBLE),
                        Column.of("event_type", ColumnType.STRING),
                        Column.required("ts", ColumnType.TIMESTAMP))
                    .partitionBy("event_date", Partitioner.dateOf("ts"))
                    .build()))
        .deadLetters(new TestDeadLetterSink())
        .batch(BatchPolicy.ofRecords(4096))
        .commitInterval(Duration.ofSeconds(30))
        .build()
        .run();
  }

  private static void jdbc(int rows) throws Exception {
    PGSimpleDataSource db = new PGSimpleDataSource();
    db.setUrl(
        System.getenv()
            .getOrDefault("COLLECT_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=root"));
    String table = "bench_events_" + Long.toString(System.nanoTime(), 36);
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE "
              + table
              + " (id BIGINT PRIMARY KEY, user_id TEXT, amount DOUBLE PRECISION,"
              + " updated_at TIMESTAMP NOT NULL)");
      s.execute(
          "INSERT INTO "
              + table
              + " SELECT i, 'user-' || (i % 9973), (i % 1000) / 10.0,"
              + " TIMESTAMP '2026-11-24' + (i / 10) * INTERVAL '1 second' FROM generate_series(1, "
              + rows
              + ") i");
      s.execute("CREATE INDEX ON " + table + " (updated_at, id)");
      s.execute("ANALYZE " + table);
    }
    try {
      for (int round = 0; round < 2; round++) {
        RunReport report =
            Pipeline.from(
                    Jdbc.source(
                        JdbcSourceConfig.builder(db, table, "updated_at")
                            .tieBreaker("id")
                            .pageSize(10_000)
                            .checkpoints(CheckpointStore.inMemory(), "bench")
                            .build()))
                .to(Sink.discard())
                .batch(BatchPolicy.ofRecords(4096))
                .build()
                .run();
        double seconds = report.elapsed().toNanos() / 1e9;
        System.out.printf(
            Locale.ROOT,
            "%s JDBC extraction (PostgreSQL, keyset pages of 10,000): %,d rows in %.2f s: %,.0f rows/s%n",
            round == 0 ? "warm-up" : "measured",
            report.written(),
            seconds,
            report.written() / seconds);
      }
    } finally {
      try (Connection c = db.getConnection();
          Statement s = c.createStatement()) {
        s.execute("DROP TABLE " + table);
      }
    }
  }

  private static long size(Path dir) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
