package dev.collect.stream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.core.BatchPolicy;
import dev.collect.core.Collector;
import dev.collect.core.Envelope;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import dev.collect.stream.Kafka;
import dev.collect.stream.KafkaSourceConfig;
import dev.collect.stream.Webhook;
import dev.collect.stream.WebhookSignature;
import dev.collect.stream.WebhookSource;
import dev.collect.stream.WebhookSourceConfig;
import dev.collect.stream.support.KafkaBroker;
import java.io.BufferedWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The stream module's benchmark (a main, run by hand; figures go in the closing note):
 *
 * <ol>
 *   <li>Kafka to a discarding sink and to a JSON Lines file: records/s of the collector compared,
 *       in the same run, with a plain {@code KafkaConsumer} poll loop doing the same work (parse
 *       JSON into a record, discard or append a line, commit each second).
 *   <li>End-to-end latency (producer timestamp to written) p50/p99 at a steady 10k events/s.
 *   <li>Webhook requests/s with clients posting signed arrays of 100 events.
 * </ol>
 *
 * <pre>
 * mvn -B -o -q test-compile dependency:build-classpath -pl collect-stream \
 *   -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/stream-cp.txt
 * cd collect-stream && java -Xmx1g -cp target/test-classes:target/classes:$(cat /tmp/stream-cp.txt) \
 *   dev.collect.stream.bench.StreamBenchmark 500000 5   # [events] [rounds] [kafka,latency,webhook]
 * </pre>
 */
public final class StreamBenchmark {
  /** One click event, parsed by both the plain loop and the collector. */
  public record Click(String eventId, String userId, String type, int position, long ts) {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    String parts = args.length > 2 ? args[2] : "kafka,latency,webhook";
    Path dir = Files.createTempDirectory("collect-stream-bench");
    if (parts.contains("kafka") || parts.contains("latency")) {
      try (KafkaBroker broker = KafkaBroker.start()) {
        if (parts.contains("kafka")) {
          throughput(broker, n, rounds, dir);
        }
        if (parts.contains("latency")) {
          latency(broker, 10_000, 20);
        }
      }
    }
    if (parts.contains("webhook")) {
      webhook(Duration.ofSeconds(10), 4, 100);
    }
  }

  private static void throughput(KafkaBroker broker, int n, int rounds, Path dir) throws Exception {
    String topic = "clicks";
    broker.createTopic(topic, 4);
    long t0 = System.nanoTime();
    produce(broker, topic, n);
    System.out.printf(Locale.ROOT, "produced %,d events in %.1f s%n", n, secs(t0));
    plainLoop(broker, topic, n, null); // warm-up: page cache, JIT
    double[][] rates = new double[4][rounds];
    for (int round = 0; round < rounds; round++) {
      rates[0][round] = plainLoop(broker, topic, n, null);
      rates[1][round] = collector(broker, topic, n, Sink.discard());
      rates[2][round] = plainLoop(broker, topic, n, dir.resolve("plain-" + round + ".jsonl"));
      rates[3][round] =
          collector(broker, topic, n, Sink.jsonLines(dir.resolve("collect-" + round + ".jsonl")));
      System.out.printf(
          Locale.ROOT,
          "round %d: discard plain %,.0f / collector %,.0f rec/s; jsonl plain %,.0f / collector"
              + " %,.0f rec/s%n",
          round + 1,
          rates[0][round],
          rates[1][round],
          rates[2][round],
          rates[3][round]);
    }
    double[] median = new double[4];
    for (int i = 0; i < 4; i++) {
      double[] sorted = rates[i].clone();
      Arrays.sort(sorted);
      median[i] = sorted[rounds / 2];
    }
    System.out.printf(
        Locale.ROOT,
        "median of %d rounds: discard plain %,.0f, collector %,.0f rec/s (%.0f%%); jsonl plain"
            + " %,.0f, collector %,.0f rec/s (%.0f%%)%n",
        rounds,
        median[0],
        median[1],
        100 * median[1] / median[0],
        median[2],
        median[3],
        100 * median[3] / median[2]);
  }

  private static void produce(KafkaBroker broker, String topic, int n) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      for (int i = 0; i < n; i++) {
        producer.send(new ProducerRecord<>(topic, ("u" + (i % 1000)).getBytes(), click(i, 0)));
      }
      producer.flush();
    }
  }

  private static byte[] click(int i, long ts) {
    return ("{\"eventId\":\"e-"
            + i
            + "\",\"userId\":\"u"
            + (i % 1000)
            + "\",\"type\":\"click\",\"position\":"
            + (i % 10)
            + ",\"ts\":"
            + ts
            + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The practical limit: poll, parse, discard or append, commit each second. Records/s. */
  private static double plainLoop(KafkaBroker broker, String topic, int n, Path file)
      throws Exception {
    long start = System.nanoTime();
    long count = 0;
    long lastCommit = System.nanoTime();
    try (KafkaConsumer<byte[], byte[]> consumer =
            broker.consumer("plain-" + System.nanoTime(), Map.of("max.poll.records", "1000"));
        BufferedWriter out = file == null ? null : Files.newBufferedWriter(file)) {
      consumer.subscribe(Set.of(topic));
      while (count < n) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
        for (ConsumerRecord<byte[], byte[]> r : records) {
          Click click = MAPPER.readValue(r.value(), Click.class);
          if (out != null) {
            out.write(MAPPER.writeValueAsString(click));
            out.write('\n');
          }
          count++;
        }
        if (System.nanoTime() - lastCommit > 1_000_000_000L) {
          if (out != null) {
            out.flush();
          }
          consumer.commitSync();
          lastCommit = System.nanoTime();
        }
      }
      consumer.commitSync();
    }
    return n / secs(start);
  }

  /** The same work through a pipeline. Records/s. */
  private static double collector(KafkaBroker broker, String topic, int n, Sink<Click> sink)
      throws Exception {
    Pipeline pipeline =
        Pipeline.from(
                Kafka.source(
                    KafkaSourceConfig.builder()
                        .bootstrapServers(broker.bootstrapServers())
                        .groupId("collect-" + System.nanoTime())
                        .topics(topic)
                        .build()))
            .collect("json", Collector.json(Click.class))
            .to(sink)
            .workers(2)
            .build();
    long start = System.nanoTime();
    pipeline.start();
    while (pipeline.report().written() < n) {
      Thread.sleep(2);
    }
    double rate = n / secs(start);
    RunReport report = pipeline.stop(Duration.ofSeconds(30));
    if (!report.invariantHolds()) {
      throw new IllegalStateException("invariant broken: " + report.toTable());
    }
    return rate;
  }

  /** Steady {@code rate}/s for {@code seconds}: producer timestamp to written, p50 / p99. */
  private static void latency(KafkaBroker broker, int rate, int seconds) throws Exception {
    String topic = "latency";
    broker.createTopic(topic, 4);
    int total = rate * seconds;
    long[] latencies = new long[total];
    AtomicInteger seen = new AtomicInteger();
    Sink<byte[]> measuring =
        new Sink<>() {
          @Override
          public String name() {
            return "measuring";
          }

          @Override
          public void write(List<Envelope<byte[]>> batch) {
            long now = System.currentTimeMillis();
            for (Envelope<byte[]> e : batch) {
              int i = seen.getAndIncrement();
              if (i < total) {
                latencies[i] = now - e.eventTime().toEpochMilli();
              }
            }
          }

          @Override
          public boolean isThreadSafe() {
            return true; // an atomic index into distinct slots
          }
        };
    Pipeline pipeline =
        Pipeline.from(
                Kafka.source(
                    KafkaSourceConfig.builder()
                        .bootstrapServers(broker.bootstrapServers())
                        .groupId("latency-" + System.nanoTime())
                        .topics(topic)
                        .autoOffsetReset("latest")
                        .properties(Map.of("fetch.max.wait.ms", "5"))
                        .build()))
            .to(measuring)
            .batch(BatchPolicy.ofRecords(1024).withLinger(Duration.ofMillis(5)))
            .workers(2)
            .build();
    pipeline.start();
    Thread.sleep(3000); // let the consumer join before the clock starts
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      long start = System.nanoTime();
      for (int i = 0; i < total; i++) {
        long due = start + (long) i * 1_000_000_000L / rate;
        while (System.nanoTime() < due) {
          Thread.onSpinWait();
        }
        producer.send(new ProducerRecord<>(topic, ("u" + (i % 1000)).getBytes(), click(i, 0)));
      }
    }
    while (seen.get() < total) {
      Thread.sleep(10);
    }
    RunReport report = pipeline.stop(Duration.ofSeconds(30));
    Arrays.sort(latencies);
    System.out.printf(
        Locale.ROOT,
        "latency at %,d/s for %d s (producer timestamp to written): p50 %d ms, p99 %d ms, max %d ms;"
            + " pipeline ingest-to-written p50 %.1f ms, p99 %.1f ms%n",
        rate,
        seconds,
        latencies[total / 2],
        latencies[(int) (total * 0.99)],
        latencies[total - 1],
        report.latencyP50().toNanos() / 1e6,
        report.latencyP99().toNanos() / 1e6);
  }

  /** Clients posting signed arrays of {@code perRequest} events for {@code duration}. */
  private static void webhook(Duration duration, int clients, int perRequest) throws Exception {
    byte[] secret = "benchmark-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    WebhookSource source =
        Webhook.source(WebhookSourceConfig.builder().port(0).secret(secret).threads(4).build());
    AtomicLong written = new AtomicLong();
    Pipeline pipeline =
        Pipeline.from(source)
            .to(Sink.<byte[]>of("count", batch -> written.addAndGet(batch.size())))
            .workers(2)
            .build();
    pipeline.start();
    while (!pipeline.isReady()) {
      Thread.sleep(10);
    }
    StringBuilder events = new StringBuilder();
    for (int i = 0; i < perRequest; i++) {
      events.append(',').append(new String(click(i, 0), StandardCharsets.UTF_8));
    }
    String tail = events.append(']').toString();
    AtomicLong accepted = new AtomicLong();
    AtomicLong throttled = new AtomicLong();
    AtomicLong other = new AtomicLong();
    AtomicLong counter = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long end = System.nanoTime() + duration.toNanos();
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      pool.submit(
          () -> {
            HttpClient client = HttpClient.newHttpClient();
            while (System.nanoTime() < end) {
              // A request number in the body makes each signature unique (no replays).
              byte[] body =
                  ("[{\"request\":" + counter.incrementAndGet() + "}" + tail)
                      .getBytes(StandardCharsets.UTF_8);
              long ts = Instant.now().getEpochSecond();
              HttpRequest request =
                  HttpRequest.newBuilder(source.endpoint())
                      .header(WebhookSignature.TIMESTAMP_HEADER, String.valueOf(ts))
                      .header(
                          WebhookSignature.SIGNATURE_HEADER,
                          WebhookSignature.sign(secret, ts, body))
                      .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                      .build();
              int status =
                  client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
              if (status == 202) {
                accepted.incrementAndGet();
              } else if (status == 429) {
                throttled.incrementAndGet();
              } else {
                other.incrementAndGet();
              }
            }
            return null;
          });
    }
    pool.shutdown();
    pool.awaitTermination(duration.toSeconds() + 30, TimeUnit.SECONDS);
    double seconds = secs(start);
    source.drain(Duration.ofSeconds(30));
    RunReport report = pipeline.stop(Duration.ofSeconds(30));
    System.out.printf(
        Locale.ROOT,
        "webhook: %d clients, %d events/request: %,.0f requests/s accepted (%,.0f events/s),"
            + " %,d answered 429, %,d other; written %,d, invariant %s%n",
        clients,
        perRequest + 1,
        accepted.get() / seconds,
        accepted.get() * (perRequest + 1) / seconds,
        throttled.get(),
        other.get(),
        report.written(),
        report.invariantHolds());
  }

  private static double secs(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
