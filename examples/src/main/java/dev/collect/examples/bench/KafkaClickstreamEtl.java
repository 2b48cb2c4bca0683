package dev.collect.examples.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.core.BatchPolicy;
import dev.collect.core.Envelope;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import dev.collect.stream.Kafka;
import dev.collect.stream.KafkaSourceConfig;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The clickstream workload read from a Kafka topic (written by {@link KafkaClickstreamBench}: input
 * line {@code i} at partition {@code i mod P}, so a record's line number is {@code offset * P +
 * partition + 1}) and written to the same two files as the file workload, so the checksums match.
 * One program, several ways to consume, each run in its own JVM by the bench:
 *
 * <ul>
 *   <li>{@code plain}: one {@code KafkaConsumer}, poll, process, write, {@code commitAsync} per
 *       poll; {@code --max-poll N} sets {@code max.poll.records} (default 500);
 *   <li>{@code group}: N threads, each with its own consumer in one group;
 *   <li>{@code sdk}: the Collect pipeline with {@code Kafka.source(...untilCaughtUp())} and N
 *       workers.
 * </ul>
 *
 * <p>With {@code --latency}, each record's end-to-end latency (written minus its Kafka timestamp)
 * is measured for the records produced at least the warm-up after the cold start caught up (first
 * record within 50 ms), and printed with the catch-up time as a LATENCY line instead of the RESULT
 * line.
 */
public final class KafkaClickstreamEtl {
  private KafkaClickstreamEtl() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 5 || args[0].equals("--help")) {
      System.out.println(
          "Usage: KafkaClickstreamEtl <bootstrap> <topic> <partitions> <records> <outdir>"
              + " [--mode plain|group|sdk] [--workers N] [--max-poll N]"
              + " [--latency <warm-up s>]");
      return;
    }
    Options o = new Options(args);
    Files.createDirectories(o.outDir);
    Path output = o.outDir.resolve("output.jsonl");
    Path deadLetters = o.outDir.resolve("dead_letters.jsonl");
    Files.deleteIfExists(output);
    Files.deleteIfExists(deadLetters);
    String impl = o.mode.equals("sdk") ? "collect-sdk-kafka" : "kafka-" + o.mode;
    BenchClock clock = new BenchClock(impl, o.workers, o.records);
    Latencies latencies = o.warmUpSeconds >= 0 ? new Latencies(o.warmUpSeconds) : null;
    if (o.mode.equals("sdk")) {
      sdk(o, output, deadLetters, clock, latencies);
    } else {
      plain(o, output, deadLetters, clock, latencies);
    }
    if (latencies != null) {
      latencies.report(impl, o.workers);
    } else {
      clock.report(output, deadLetters);
    }
  }

  /** The parsed arguments. */
  static final class Options {
    final String bootstrap;
    final String topic;
    final int partitions;
    final long records;
    final Path outDir;
    String mode = "plain";
    int workers = 1;
    int maxPoll = 500;
    int warmUpSeconds = -1;

    Options(String[] args) {
      bootstrap = args[0];
      topic = args[1];
      partitions = Integer.parseInt(args[2]);
      records = Long.parseLong(args[3]);
      outDir = Path.of(args[4]);
      for (int i = 5; i + 1 < args.length; i += 2) {
        switch (args[i]) {
          case "--mode" -> mode = args[i + 1];
          case "--workers" -> workers = Integer.parseInt(args[i + 1]);
          case "--max-poll" -> maxPoll = Integer.parseInt(args[i + 1]);
          case "--latency" -> warmUpSeconds = Integer.parseInt(args[i + 1]);
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
    }

    String group() {
      return "bench-" + mode + "-" + workers + "-" + System.nanoTime();
    }

    long lineNo(int partition, long offset) {
      return offset * partitions + partition + 1;
    }
  }

  /** Hand-written consumers: {@code workers} threads, each with its own consumer in one group. */
  private static void plain(
      Options o, Path output, Path deadLetters, BenchClock clock, Latencies latencies)
      throws Exception {
    String group = o.group();
    AtomicLong consumed = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Object lock = new Object();
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(output), 1 << 16);
        OutputStream dlq = new BufferedOutputStream(Files.newOutputStream(deadLetters), 1 << 16)) {
      List<Thread> threads = new ArrayList<>();
      clock.start();
      for (int w = 0; w < o.workers; w++) {
        Thread t =
            new Thread(
                () -> {
                  try (KafkaConsumer<byte[], byte[]> consumer = consumer(o, group)) {
                    consumer.subscribe(Set.of(o.topic));
                    ClickWork work = new ClickWork();
                    ByteArrayOutputStream outBytes = new ByteArrayOutputStream(1 << 20);
                    ByteArrayOutputStream dlqBytes = new ByteArrayOutputStream(1 << 14);
                    while (consumed.get() < o.records && failure.get() == null) {
                      ConsumerRecords<byte[], byte[]> records =
                          consumer.poll(Duration.ofMillis(100));
                      for (ConsumerRecord<byte[], byte[]> r : records) {
                        clock.entered(consumed.incrementAndGet());
                        work.process(
                            o.lineNo(r.partition(), r.offset()), r.value(), outBytes, dlqBytes);
                      }
                      synchronized (lock) {
                        outBytes.writeTo(out);
                        dlqBytes.writeTo(dlq);
                        if (latencies != null) {
                          out.flush();
                          dlq.flush();
                        }
                      }
                      if (latencies != null) {
                        long now = System.currentTimeMillis();
                        for (ConsumerRecord<byte[], byte[]> r : records) {
                          latencies.add(r.timestamp(), now);
                        }
                      }
                      outBytes.reset();
                      dlqBytes.reset();
                      if (!records.isEmpty()) {
                        consumer.commitAsync();
                      }
                    }
                    consumer.commitSync();
                  } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                  }
                },
                "consumer-" + w);
        t.start();
        threads.add(t);
      }
      for (Thread t : threads) {
        t.join();
      }
    }
    clock.stop();
    if (failure.get() != null) {
      throw new IllegalStateException("a consumer failed", failure.get());
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(Options o, String group) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(o.maxPoll));
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** The Collect pipeline: Kafka source until caught up, the workload's steps, file sinks. */
  private static void sdk(
      Options o, Path output, Path deadLetters, BenchClock clock, Latencies latencies)
      throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    AtomicLong consumed = new AtomicLong();
    KafkaSourceConfig.Builder config =
        KafkaSourceConfig.builder()
            .bootstrapServers(o.bootstrap)
            .groupId(o.group())
            .topics(o.topic);
    if (latencies == null) {
      config.untilCaughtUp();
    }
    Sink<OutputRecord> files = Sink.jsonLines(output, OutputRecord.class, mapper);
    Sink<OutputRecord> sink = latencies == null ? files : new Timed(files, latencies);
    Pipeline pipeline =
        ClickstreamEtl.steps(
                Kafka.source(config.build()),
                record -> clock.entered(consumed.incrementAndGet()),
                mapper,
                sink)
            .deadLetters(
                new ClickstreamEtl.WorkloadDeadLetters(
                    deadLetters,
                    mapper,
                    position ->
                        o.lineNo(
                            ((Number) position.get("partition")).intValue(),
                            ((Number) position.get("offset")).longValue())))
            .workers(o.workers)
            .batch(
                latencies == null
                    ? BatchPolicy.ofRecords(1024)
                    : BatchPolicy.ofRecords(1024).withLinger(Duration.ofMillis(5)))
            .name("kafka-clickstream")
            .build();
    clock.start();
    RunReport report;
    if (latencies == null) {
      report = pipeline.run();
    } else {
      pipeline.start();
      while (consumed.get() < o.records) {
        Thread.sleep(10);
      }
      report = pipeline.stop(Duration.ofSeconds(30));
    }
    clock.stop();
    if (!report.invariantHolds() || report.received() != o.records) {
      throw new IllegalStateException("unexpected run: " + report);
    }
  }

  /** Measures the end-to-end latency of every written record, then passes the batch on. */
  private static final class Timed implements Sink<OutputRecord> {
    private final Sink<OutputRecord> delegate;
    private final Latencies latencies;

    Timed(Sink<OutputRecord> delegate, Latencies latencies) {
      this.delegate = delegate;
      this.latencies = latencies;
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public void open(dev.collect.core.PipelineContext context) throws Exception {
      delegate.open(context);
    }

    @Override
    public void write(List<Envelope<OutputRecord>> batch) throws Exception {
      delegate.write(batch);
      long now = System.currentTimeMillis();
      for (Envelope<OutputRecord> e : batch) {
        latencies.add(e.eventTime().toEpochMilli(), now);
      }
    }

    @Override
    public void flush() throws Exception {
      delegate.flush();
    }

    @Override
    public boolean isThreadSafe() {
      return delegate.isThreadSafe();
    }

    @Override
    public void close() throws Exception {
      delegate.close();
    }
  }

  /**
   * How long the cold start took to write its first record and to catch up (the first record
   * written within 50 ms of its Kafka timestamp), both counted from the JVM's start, and the
   * end-to-end latencies of the records produced at least the warm-up after that.
   */
  static final class Latencies {
    private final long warmUpMillis;
    private final long startMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
    private long firstWriteAt = -1;
    private long caughtUpAt = -1;
    private long[] values = new long[1 << 16];
    private int size;

    Latencies(int warmUpSeconds) {
      this.warmUpMillis = warmUpSeconds * 1000L;
    }

    synchronized void add(long timestamp, long now) {
      long latency = now - timestamp;
      if (firstWriteAt < 0) {
        firstWriteAt = now;
      }
      if (caughtUpAt < 0 && latency <= 50) {
        caughtUpAt = now;
      }
      // Steady state: records produced at least the warm-up after the cold start caught up.
      if (caughtUpAt < 0 || timestamp < caughtUpAt + warmUpMillis) {
        return;
      }
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      values[size++] = latency;
    }

    synchronized void report(String impl, int workers) {
      long[] sorted = java.util.Arrays.copyOf(values, size);
      java.util.Arrays.sort(sorted);
      System.out.printf(
          Locale.ROOT,
          "LATENCY impl=%s workers=%d measured=%d p50_ms=%d p99_ms=%d max_ms=%d"
              + " first_write_seconds=%.3f catch_up_seconds=%.3f%n",
          impl,
          workers,
          size,
          size == 0 ? -1 : sorted[size / 2],
          size == 0 ? -1 : sorted[(int) Math.min(size - 1, (long) (size * 0.99))],
          size == 0 ? -1 : sorted[size - 1],
          firstWriteAt < 0 ? -1.0 : (firstWriteAt - startMillis) / 1e3,
          caughtUpAt < 0 ? -1.0 : (caughtUpAt - startMillis) / 1e3);
    }
  }
}
