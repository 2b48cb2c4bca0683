package dev.collect.examples.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.batch.Column;
import dev.collect.batch.ColumnType;
import dev.collect.batch.Lake;
import dev.collect.batch.LakeSinkConfig;
import dev.collect.core.Collector;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Source;
import dev.collect.examples.support.Await;
import dev.collect.examples.support.EmbeddedKafka;
import dev.collect.stream.Kafka;
import dev.collect.stream.KafkaSinkConfig;
import dev.collect.stream.KafkaSourceConfig;
import dev.collect.stream.RecordSerializer;
import dev.collect.stream.avro.Avro;
import dev.collect.stream.avro.SchemaRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;

/**
 * Avro vs JSON for the clickstream workload's valid records (WORKLOAD.md) through the runtime: a
 * pipeline serialising them into Kafka (the in-JVM broker), then a pipeline reading them back,
 * decoding them and writing the Parquet lake. Prints records/s and bytes/record of each leg. Avro
 * uses the schema-registry wire format (5 bytes of header per record) with an in-memory registry;
 * JSON is Jackson with the workload's record classes. Not a test: figures depend on the machine.
 *
 * <pre>
 * mvn -q -o -pl examples -am compile dependency:build-classpath -Dmdep.outputFile=/tmp/ex-cp.txt
 * cd examples &amp;&amp; java -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
 *     -cp target/classes:$(cat /tmp/ex-cp.txt) dev.collect.examples.bench.AvroVsJsonBenchmark --n 100000 --rounds 2
 * </pre>
 */
public final class AvroVsJsonBenchmark {
  static final Schema PROPERTIES =
      SchemaBuilder.record("ClickProperties")
          .namespace("dev.collect.examples.bench")
          .fields()
          .requiredString("page")
          .requiredInt("position")
          .requiredString("device")
          .requiredString("session_id")
          .endRecord();
  static final Schema CLICK =
      SchemaBuilder.record("ClickEvent")
          .namespace("dev.collect.examples.bench")
          .fields()
          .requiredString("event_id")
          .requiredLong("user_id")
          .requiredString("item_id")
          .requiredString("event_type")
          .requiredString("timestamp")
          .name("properties")
          .type(PROPERTIES)
          .noDefault()
          .optionalInt("value")
          .endRecord();

  private AvroVsJsonBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = 200_000;
    int rounds = 2;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--n" -> n = Integer.parseInt(args[++i].replace("_", ""));
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> {
          System.out.println(
              "Usage: AvroVsJsonBenchmark [--n RECORDS, default 200000] [--rounds R, default 2]");
          return;
        }
      }
    }
    Path work = Files.createTempDirectory("avro-vs-json");
    List<ClickEvent> events = validEvents(work.resolve("clickstream.jsonl"), n);
    System.out.printf(Locale.ROOT, "%,d valid clickstream records%n", events.size());
    System.out.println("round format  kafka_rec/s  kafka_B/rec  parquet_rec/s  parquet_B/rec");
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      for (int round = 1; round <= rounds; round++) {
        for (String format : List.of("json", "avro")) {
          Leg leg = run(kafka.bootstrapServers(), format, events, work.resolve(format + round));
          System.out.printf(
              Locale.ROOT,
              "%5d %-6s %12.0f %12.1f %14.0f %14.1f%n",
              round,
              format,
              leg.kafkaPerSecond,
              leg.kafkaBytesPerRecord,
              leg.parquetPerSecond,
              leg.parquetBytesPerRecord);
        }
      }
    }
  }

  private record Leg(
      double kafkaPerSecond,
      double kafkaBytesPerRecord,
      double parquetPerSecond,
      double parquetBytesPerRecord) {}

  private static Leg run(String servers, String format, List<ClickEvent> events, Path lakeDir)
      throws Exception {
    String topic = "bench-" + format + "-" + System.nanoTime();
    KafkaSinkConfig out = KafkaSinkConfig.builder().bootstrapServers(servers).topic(topic).build();
    SchemaRegistry registry = SchemaRegistry.inMemory();
    LongAdder bytes = new LongAdder();
    RunReport produced;
    if (format.equals("avro")) {
      RecordSerializer<IndexedRecord> avro =
          Avro.registrySerializer(registry, topic + "-value", CLICK);
      produced =
          Pipeline.from(Source.fromList("events", events))
              .map(AvroVsJsonBenchmark::toAvro)
              .to(Kafka.sink(out, counting(avro, bytes)))
              .name("produce-avro")
              .build()
              .run();
    } else {
      ObjectMapper mapper = new ObjectMapper();
      RecordSerializer<ClickEvent> json = mapper::writeValueAsBytes;
      produced =
          Pipeline.from(Source.fromList("events", events))
              .to(Kafka.sink(out, counting(json, bytes)))
              .name("produce-json")
              .build()
              .run();
    }
    check(produced, events.size());

    LakeSinkConfig.Builder lake =
        LakeSinkConfig.builder(lakeDir).rolling(10_000_000, 1L << 40, Duration.ofHours(1));
    KafkaSourceConfig in =
        KafkaSourceConfig.builder().bootstrapServers(servers).groupId(topic).topics(topic).build();
    Pipeline consume =
        format.equals("avro")
            ? Pipeline.from(Kafka.source(in))
                .collect(Avro.registry(registry, CLICK))
                .to(Lake.sink(lake.avroSchema(CLICK).build()))
                .name("consume-avro")
                .build()
            : Pipeline.from(Kafka.source(in))
                .collect(Collector.json(ClickEvent.class))
                .map(AvroVsJsonBenchmark::flat)
                .to(Lake.sink(lake.columns(COLUMNS).build()))
                .name("consume-json")
                .build();
    long start = System.nanoTime();
    consume.start();
    RunReport consumed =
        Await.settledThenStop(consume, r -> r.written() >= events.size(), Duration.ofMinutes(10));
    double seconds = (System.nanoTime() - start) / 1e9;
    check(consumed, events.size());
    return new Leg(
        events.size() * 1e9 / produced.elapsed().toNanos(),
        bytes.doubleValue() / events.size(),
        events.size() / seconds,
        (double) parquetBytes(lakeDir) / events.size());
  }

  static final List<Column> COLUMNS =
      List.of(
          Column.required("event_id", ColumnType.STRING),
          Column.required("user_id", ColumnType.LONG),
          Column.required("item_id", ColumnType.STRING),
          Column.required("event_type", ColumnType.STRING),
          Column.required("timestamp", ColumnType.STRING),
          Column.required("properties_page", ColumnType.STRING),
          Column.required("properties_position", ColumnType.INT),
          Column.required("properties_device", ColumnType.STRING),
          Column.required("properties_session_id", ColumnType.STRING),
          Column.of("value", ColumnType.INT));

  private static Map<String, Object> flat(ClickEvent e) {
    Map<String, Object> row = new HashMap<>();
    row.put("event_id", e.eventId());
    row.put("user_id", e.userId());
    row.put("item_id", e.itemId());
    row.put("event_type", e.eventType());
    row.put("timestamp", e.timestamp());
    row.put("properties_page", e.properties().page());
    row.put("properties_position", e.properties().position());
    row.put("properties_device", e.properties().device());
    row.put("properties_session_id", e.properties().sessionId());
    row.put("value", e.value());
    return row;
  }

  private static GenericRecord toAvro(ClickEvent e) {
    GenericRecord properties = new GenericData.Record(PROPERTIES);
    properties.put(0, e.properties().page());
    properties.put(1, e.properties().position());
    properties.put(2, e.properties().device());
    properties.put(3, e.properties().sessionId());
    GenericRecord r = new GenericData.Record(CLICK);
    r.put(0, e.eventId());
    r.put(1, e.userId());
    r.put(2, e.itemId());
    r.put(3, e.eventType());
    r.put(4, e.timestamp());
    r.put(5, properties);
    r.put(6, e.value());
    return r;
  }

  private static <T> RecordSerializer<T> counting(RecordSerializer<T> inner, LongAdder bytes) {
    return value -> {
      byte[] out = inner.serialize(value);
      bytes.add(out.length);
      return out;
    };
  }

  private static void check(RunReport report, int expected) {
    if (!report.invariantHolds() || report.written() != expected) {
      throw new IllegalStateException(
          "expected " + expected + " records written, but the run reported " + report);
    }
  }

  private static long parquetBytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .mapToLong(p -> p.toFile().length())
          .sum();
    }
  }

  /** The valid lines of a generated clickstream file of {@code n} lines, as records. */
  private static List<ClickEvent> validEvents(Path file, int n) throws IOException {
    ClickstreamGenerator.generate(file, n, 42);
    ObjectMapper mapper = new ObjectMapper();
    List<ClickEvent> events = new ArrayList<>(n);
    for (String line : Files.readAllLines(file)) {
      try {
        ClickEvent e = mapper.readValue(line, ClickEvent.class);
        if (e.userId() != null
            && e.eventType() != null
            && e.timestamp() != null
            && e.properties() != null
            && e.properties().position() != null
            && e.properties().position() >= 0) {
          events.add(e);
        }
      } catch (IOException malformed) {
        // The workload's malformed lines: left out, as both formats must carry the same records.
      }
    }
    return events;
  }
}
