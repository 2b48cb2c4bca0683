package dev.collect.examples.cdc;

import dev.collect.batch.Compression;
import dev.collect.batch.Lake;
import dev.collect.batch.LakeFormat;
import dev.collect.batch.LakeSinkConfig;
import dev.collect.batch.LakeWriter;
import dev.collect.batch.Partitioner;
import dev.collect.cdc.Cdc;
import dev.collect.cdc.CdcSource;
import dev.collect.cdc.CdcSourceConfig;
import dev.collect.cdc.ChangeEvent;
import dev.collect.cdc.FieldChange;
import dev.collect.cdc.Operation;
import dev.collect.core.CheckpointStore;
import dev.collect.core.DeadLetterSink;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.examples.support.Await;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Change data capture to a lake: a {@code customers} table in PostgreSQL is captured through
 * Debezium (logical decoding, {@code pgoutput}): first a snapshot of its rows, then inserts,
 * updates, deletes and a schema change as they are committed. Each change becomes a lake row with
 * the operation, the key, the changed fields with old and new values, and the LSN and commit time;
 * the lake is JSON Lines partitioned by operation. Debezium's offsets are committed in a checkpoint
 * directory only after the lake has the changes.
 *
 * <p>Starts an embedded PostgreSQL (with {@code wal_level=logical}) unless {@code --postgres
 * host:port/database} is given (user {@code --user}, default {@code postgres}; the server needs
 * {@code wal_level=logical}). A collector that stays down keeps its replication slot, and the slot
 * keeps WAL: this example drops its slot when it stops.
 *
 * <pre>
 * java -cp ... dev.collect.examples.cdc.CdcToLake [--customers N] [--postgres HOST:PORT/DB] [--user U] [--out DIR]
 * </pre>
 */
public final class CdcToLake {
  private CdcToLake() {}

  /** What the pipeline did and how many changes of each operation the lake holds. */
  public record Result(RunReport report, int expectedChanges, Map<String, Long> byOperation) {}

  public static void main(String[] args) throws Exception {
    int customers = 200;
    String postgres = null;
    String user = "postgres";
    Path out = Path.of("collect-out/cdc");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--customers" -> customers = Integer.parseInt(args[++i]);
        case "--postgres" -> postgres = args[++i];
        case "--user" -> user = args[++i];
        case "--out" -> out = Path.of(args[++i]);
        default -> {
          System.out.println(
              "Usage: CdcToLake [--customers N, default 200] [--postgres HOST:PORT/DB, default an"
                  + " embedded server] [--user U, default postgres] [--out DIR]");
          return;
        }
      }
    }
    Result result = run(customers, postgres, user, out);
    System.out.print(result.report().toTable());
    System.out.printf(
        Locale.ROOT,
        "%nChanges in the lake by operation: %s%nLake in %s%n",
        result.byOperation(),
        out.resolve("lake"));
  }

  /** Captures the table's snapshot and a burst of changes; {@code postgres} null embeds one. */
  public static Result run(int customers, String postgres, String user, Path out) throws Exception {
    Files.createDirectories(out);
    try (EmbeddedPostgres embedded =
        postgres == null
            ? EmbeddedPostgres.builder().setServerConfig("wal_level", "logical").start()
            : null) {
      String host = postgres == null ? "127.0.0.1" : postgres.substring(0, postgres.indexOf(':'));
      int port =
          postgres == null
              ? embedded.getPort()
              : Integer.parseInt(
                  postgres.substring(postgres.indexOf(':') + 1, postgres.indexOf('/')));
      String database =
          postgres == null ? "postgres" : postgres.substring(postgres.indexOf('/') + 1);
      String jdbcUrl = "jdbc:postgresql://" + host + ":" + port + "/" + database;
      try (Connection db = DriverManager.getConnection(jdbcUrl, user, "")) {
        createCustomers(db, customers);
        String run = Long.toString(System.currentTimeMillis(), 36);
        CdcSource source =
            Cdc.source(
                CdcSourceConfig.postgres()
                    .name("shop")
                    .connect(host, port)
                    .credentials(user, "")
                    .databaseName(database)
                    .tables("public.customers")
                    .slotName("collect_example_" + run)
                    .publicationName("collect_example_" + run)
                    .dropSlotOnStop(true)
                    .build());
        LakeWriter<Map<String, Object>> lake =
            Lake.sink(
                LakeSinkConfig.builder(out.resolve("lake").resolve(run))
                    .format(LakeFormat.JSON_LINES)
                    .compression(Compression.NONE)
                    .partitionBy("operation", Partitioner.valueOf("operation"))
                    .build());
        AtomicLong rowChanges = new AtomicLong(); // schema changes are events too, not counted
        Pipeline pipeline =
            Pipeline.from(source)
                .map(
                    change -> {
                      if (change.operation() != Operation.SCHEMA_CHANGE) {
                        rowChanges.incrementAndGet();
                      }
                      return toLakeRow(change);
                    })
                .to(lake)
                .deadLetters(DeadLetterSink.jsonLines(out.resolve("dead-letters.jsonl")))
                .checkpoints(CheckpointStore.directory(out.resolve("state").resolve(run)))
                .name("cdc-to-lake")
                .build();
        pipeline.start();
        Await.ready(pipeline, Duration.ofMinutes(1), "(is wal_level=logical set on the server?)");
        int changes = changeCustomers(db, customers);
        // the snapshot's rows, the changes, and the schema change events
        long expected = customers + changes;
        RunReport report =
            Await.settledThenStop(
                pipeline, r -> rowChanges.get() >= expected, Duration.ofMinutes(2));
        return new Result(report, customers + changes, countByOperation(out.resolve("lake")));
      }
    }
  }

  /** One lake row per change: what happened, to which key, which fields changed from what. */
  static Map<String, Object> toLakeRow(ChangeEvent change) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("operation", change.operation().name().toLowerCase(Locale.ROOT));
    row.put("table", change.table().toString());
    row.put("key", change.key());
    Map<String, Object> changed = new TreeMap<>();
    if (change.changedFields() != null) {
      for (Map.Entry<String, FieldChange> f : change.changedFields().entrySet()) {
        changed.put(
            f.getKey(),
            Map.of(
                "old",
                String.valueOf(f.getValue().oldValue()),
                "new",
                String.valueOf(f.getValue().newValue())));
      }
    }
    row.put("changed", changed);
    row.put("after", change.after());
    row.put("lsn", change.source().lsn());
    row.put("commit_time", change.source().commitTime());
    return row;
  }

  private static void createCustomers(Connection db, int customers) throws SQLException {
    try (Statement s = db.createStatement()) {
      s.execute("DROP TABLE IF EXISTS customers");
      s.execute(
          "CREATE TABLE customers (id INT PRIMARY KEY, email TEXT NOT NULL, tier TEXT NOT NULL,"
              + " credit_limit INT NOT NULL)");
      // Full old rows in the log: updates then carry before images and field diffs.
      s.execute("ALTER TABLE customers REPLICA IDENTITY FULL");
      s.execute(
          "INSERT INTO customers SELECT i, 'customer' || i || '@example.com', 'silver', 1000"
              + " FROM generate_series(1, "
              + customers
              + ") AS i");
    }
  }

  /** Inserts, updates, deletes and alters the table; returns how many row changes it made. */
  private static int changeCustomers(Connection db, int customers) throws SQLException {
    int inserts = customers / 4;
    int upgrades = customers / 5;
    int deletes = customers / 10;
    try (Statement s = db.createStatement()) {
      s.execute(
          "INSERT INTO customers SELECT i, 'customer' || i || '@example.com', 'bronze', 500"
              + " FROM generate_series("
              + (customers + 1)
              + ", "
              + (customers + inserts)
              + ") AS i");
      s.execute("UPDATE customers SET tier = 'gold', credit_limit = 5000 WHERE id <= " + upgrades);
      s.execute("DELETE FROM customers WHERE id > " + (customers + inserts - deletes));
      s.execute("ALTER TABLE customers ADD COLUMN churn_risk DOUBLE PRECISION");
      s.execute("UPDATE customers SET churn_risk = 0.8 WHERE id = 1");
    }
    return inserts + upgrades + deletes + 1;
  }

  private static Map<String, Long> countByOperation(Path lake) throws java.io.IOException {
    Map<String, Long> counts = new TreeMap<>();
    try (var files = Files.walk(lake)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
        String operation = file.getParent().getFileName().toString().replace("operation=", "");
        counts.merge(operation, (long) Files.readAllLines(file).size(), Long::sum);
      }
    }
    return counts;
  }
}
