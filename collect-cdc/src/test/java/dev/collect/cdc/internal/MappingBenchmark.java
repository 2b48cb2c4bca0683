package dev.collect.cdc.internal;

import dev.collect.cdc.CdcSourceConfig;
import dev.collect.cdc.ChangeEvent;
import dev.collect.core.Envelope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The CPU cost per change of what the Collect path adds on its reader thread: mapping Debezium's
 * record into a {@link ChangeEvent} and wrapping it in an envelope. Records are shaped like {@code
 * CdcBenchmark}'s: {@code UPDATE bench SET v = v + 1} on {@code (id INT PRIMARY KEY, v INT, pad
 * TEXT)} with the default replica identity (no before image), 2,000 rows per transaction. Not a
 * test: run it by hand, from collect-cdc, with the test classpath of {@code CdcBenchmark}:
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat /tmp/cdc-cp.txt) \
 *     dev.collect.cdc.internal.MappingBenchmark 200000 20
 * </pre>
 *
 * Arguments: records per round (default 200,000), rounds (default 20). Prints ns per change of each
 * round and the median of the second half.
 */
public final class MappingBenchmark {
  private static final Schema ROW =
      SchemaBuilder.struct()
          .name("bench.public.bench.Value")
          .field("id", Schema.INT32_SCHEMA)
          .field("v", Schema.INT32_SCHEMA)
          .field("pad", Schema.OPTIONAL_STRING_SCHEMA)
          .optional()
          .build();
  private static final Schema KEY =
      SchemaBuilder.struct()
          .name("bench.public.bench.Key")
          .field("id", Schema.INT32_SCHEMA)
          .build();
  private static final Schema SOURCE =
      SchemaBuilder.struct()
          .name("io.debezium.connector.postgresql.Source")
          .field("version", Schema.STRING_SCHEMA)
          .field("connector", Schema.STRING_SCHEMA)
          .field("name", Schema.STRING_SCHEMA)
          .field("ts_ms", Schema.INT64_SCHEMA)
          .field("snapshot", Schema.OPTIONAL_STRING_SCHEMA)
          .field("db", Schema.STRING_SCHEMA)
          .field("schema", Schema.STRING_SCHEMA)
          .field("table", Schema.STRING_SCHEMA)
          .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
          .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
          .build();
  private static final io.debezium.data.Envelope ENVELOPE =
      io.debezium.data.Envelope.defineSchema()
          .withName("bench.public.bench.Envelope")
          .withRecord(ROW)
          .withSource(SOURCE)
          .build();

  private MappingBenchmark() {}

  public static void main(String[] args) {
    int perRound = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    List<SourceRecord> records = records(perRound);
    CdcSourceConfig config = CdcSourceConfig.postgres().name("bench").databaseName("bench").build();
    RecordMapper mapper =
        new RecordMapper(true, DebeziumProperties.DEFAULT_UNAVAILABLE_PLACEHOLDER);
    ChangeEnvelopes envelopes = new ChangeEnvelopes(config);
    List<ChangeEvent> mapped = new ArrayList<>();
    double[] nanos = new double[rounds];
    double[] bytes = new double[rounds];
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    long checksum = 0;
    long seq = 0;
    for (int r = 0; r < rounds; r++) {
      long start = threads.getCurrentThreadCpuTime();
      long allocated = threads.getThreadAllocatedBytes(self);
      for (SourceRecord record : records) {
        mapped.clear();
        mapper.mapData(record, mapped);
        Envelope<ChangeEvent> e = envelopes.of(mapped.get(mapped.size() - 1), record, ++seq);
        // Like CdcBenchmark's sink: the value is read, the headers (built on first read) are not.
        checksum +=
            e.value().after().size() + ((dev.collect.cdc.CdcPosition) e.position()).offset().size();
      }
      nanos[r] = (threads.getCurrentThreadCpuTime() - start) / (double) perRound;
      bytes[r] = (threads.getThreadAllocatedBytes(self) - allocated) / (double) perRound;
      System.out.printf(
          Locale.ROOT,
          "round %2d: %6.0f CPU ns/change, %5.0f bytes/change%n",
          r + 1,
          nanos[r],
          bytes[r]);
    }
    double[] tail = java.util.Arrays.copyOfRange(nanos, rounds / 2, rounds);
    java.util.Arrays.sort(tail);
    System.out.printf(
        Locale.ROOT,
        "mapping, median of rounds %d-%d: %.0f CPU ns/change, %.0f bytes/change (checksum %d)%n",
        rounds / 2 + 1,
        rounds,
        tail[tail.length / 2],
        bytes[rounds - 1],
        checksum);
  }

  private static List<SourceRecord> records(int n) {
    List<SourceRecord> out = new ArrayList<>(n);
    long lsn = 40_000_000L;
    for (int i = 0; i < n; i++) {
      int id = i % 20_000 + 1;
      long txId = 1_000 + i / 2_000;
      long commitMillis = 1_700_000_000_000L + i / 2_000;
      Struct source =
          new Struct(SOURCE)
              .put("version", "3.6.1.Final")
              .put("connector", "postgresql")
              .put("name", "bench")
              .put("ts_ms", commitMillis)
              .put("snapshot", "false")
              .put("db", "bench")
              .put("schema", "public")
              .put("table", "bench")
              .put("txId", txId)
              .put("lsn", lsn + i * 64L);
      Struct after =
          new Struct(ROW).put("id", id).put("v", i / 20_000 + 1).put("pad", "c4ca4238a0b923820dcc");
      Struct value =
          ENVELOPE.update(null, after, source, java.time.Instant.ofEpochMilli(commitMillis));
      Map<String, Object> offset = new HashMap<>();
      offset.put("lsn", lsn + i * 64L);
      offset.put("txId", txId);
      offset.put("ts_usec", commitMillis * 1000);
      offset.put("lsn_proc", lsn + i * 64L);
      offset.put("lsn_commit", lsn + i * 64L);
      offset.put("messageType", "UPDATE");
      out.add(
          new SourceRecord(
              Map.of("server", "bench"),
              offset,
              "bench.public.bench",
              null,
              KEY,
              new Struct(KEY).put("id", id),
              ENVELOPE.schema(),
              value));
    }
    return out;
  }
}
