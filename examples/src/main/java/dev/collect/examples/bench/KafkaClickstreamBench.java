package dev.collect.examples.bench;

import dev.collect.examples.support.EmbeddedKafka;
import dev.collect.examples.support.KafkaTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The clickstream workload from Kafka: starts a broker in this JVM, writes the input file to a
 * topic of 4 partitions (line {@code i} to partition {@code i mod 4}, no key), then runs {@link
 * KafkaClickstreamEtl} alternately in fresh JVMs: one plain consumer, two consumers in one group,
 * one consumer with 5,000-record polls, and the SDK with 1 and 2 workers. Prints the median
 * second-half rates as ratios to the single plain consumer, and fails unless every run wrote the
 * same checksums (the same as the file workload's).
 *
 * <p>With {@code --latency}, instead: for each of a plain consumer and the SDK with 2 and 1
 * workers, a fresh topic is written at a paced 10,000 records/s for 30 s while the consumer runs
 * from a cold start (a JVM without {@code AlwaysPreTouch}); it prints how long after the JVM's
 * start the first record was written and the first record within 50 ms of its production, and
 * p50/p99/max end-to-end latency of the records produced from 5 s after that.
 *
 * <pre>
 * java -cp ... dev.collect.examples.bench.KafkaClickstreamBench input.jsonl outdir [rounds]
 * java -cp ... dev.collect.examples.bench.KafkaClickstreamBench input.jsonl outdir --latency
 * </pre>
 */
public final class KafkaClickstreamBench {
  private static final int PARTITIONS = 4;
  private static final int PACED_PER_SECOND = 10_000;
  private static final int PACED_SECONDS = 30;

  /**
   * The latency runs' JVM: the throughput runs' heap without {@code AlwaysPreTouch}, which touches
   * the 2 GiB before {@code main} (about 3 s here) while the producer is already writing: a backlog
   * that measures the option, not the consumer.
   */
  private static final List<String> LATENCY_JVM = List.of("-Xms2g", "-Xmx2g");

  private static final int WARM_UP_SECONDS = 5;

  private KafkaClickstreamBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2 || args[0].equals("--help")) {
      System.out.println(
          "Usage: KafkaClickstreamBench <input.jsonl> <outdir> [rounds, default 3 | --latency]");
      return;
    }
    Path input = Path.of(args[0]);
    Path outDir = Path.of(args[1]);
    boolean latency = args.length > 2 && args[2].equals("--latency");
    int rounds = args.length > 2 && !latency ? Integer.parseInt(args[2]) : 3;
    List<byte[]> lines = new ArrayList<>();
    try (LineBytes in = new LineBytes(Files.newInputStream(input))) {
      for (byte[] line; (line = in.next()) != null; ) {
        lines.add(line);
      }
    }
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      createOffsetsTopic(kafka.bootstrapServers());
      if (latency) {
        latency(kafka.bootstrapServers(), lines, outDir);
      } else {
        throughput(kafka.bootstrapServers(), lines, outDir, rounds);
      }
    }
  }

  private static void throughput(String bootstrap, List<byte[]> lines, Path outDir, int rounds)
      throws Exception {
    String topic = "clickstream";
    KafkaTopics.create(bootstrap, PARTITIONS, topic);
    long t = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
      for (int i = 0; i < lines.size(); i++) {
        producer.send(new ProducerRecord<>(topic, i % PARTITIONS, null, lines.get(i)));
      }
      producer.flush();
    }
    System.out.printf(
        Locale.ROOT,
        "wrote %,d records to %s in %.1f s%n",
        lines.size(),
        topic,
        (System.nanoTime() - t) / 1e9);
    String records = String.valueOf(lines.size());
    Map<String, Double> ratios =
        new BenchRunner()
            .add("plain-1", child(bootstrap, topic, records, outDir, "plain-1", "plain", 1, 500))
            .add("group-2", child(bootstrap, topic, records, outDir, "group-2", "plain", 2, 500))
            .add(
                "poll-5000",
                child(bootstrap, topic, records, outDir, "poll-5000", "plain", 1, 5000))
            .add("sdk-1", child(bootstrap, topic, records, outDir, "sdk-1", "sdk", 1, 500))
            .add("sdk-2", child(bootstrap, topic, records, outDir, "sdk-2", "sdk", 2, 500))
            .run(rounds);
    double bestPlain =
        Math.max(ratios.get("plain-1"), Math.max(ratios.get("group-2"), ratios.get("poll-5000")));
    System.out.printf(
        Locale.ROOT,
        "sdk-2 / best plain consumer variant: %.3f%n",
        ratios.get("sdk-2") / bestPlain);
  }

  private static List<String> child(
      String bootstrap,
      String topic,
      String records,
      Path outDir,
      String name,
      String mode,
      int workers,
      int maxPoll) {
    return List.of(
        KafkaClickstreamEtl.class.getName(),
        bootstrap,
        topic,
        String.valueOf(PARTITIONS),
        records,
        outDir.resolve(name).toString(),
        "--mode",
        mode,
        "--workers",
        String.valueOf(workers),
        "--max-poll",
        String.valueOf(maxPoll));
  }

  private static void latency(String bootstrap, List<byte[]> lines, Path outDir) throws Exception {
    int total = PACED_PER_SECOND * PACED_SECONDS;
    String[][] runs = {{"plain-1", "plain", "1"}, {"sdk-2", "sdk", "2"}, {"sdk-1", "sdk", "1"}};
    for (String[] run : runs) {
      String topic = "paced-" + run[0] + "-" + System.nanoTime();
      KafkaTopics.create(bootstrap, PARTITIONS, topic);
      List<String> command =
          new ArrayList<>(
              child(bootstrap, topic, String.valueOf(total), outDir, run[0], run[1], 1, 500));
      command.set(command.indexOf("--workers") + 1, run[2]);
      command.add("--latency");
      command.add(String.valueOf(WARM_UP_SECONDS));
      Thread producer =
          new Thread(
              () -> {
                try (KafkaProducer<byte[], byte[]> p = producer(bootstrap)) {
                  long start = System.nanoTime();
                  for (int i = 0; i < total; i++) {
                    long due = start + i * (1_000_000_000L / PACED_PER_SECOND);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                      TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    p.send(
                        new ProducerRecord<>(
                            topic, i % PARTITIONS, null, lines.get(i % lines.size())));
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      producer.start();
      System.out.println(run[0] + ": " + BenchRunner.runChild(LATENCY_JVM, command));
      producer.join();
    }
  }

  /**
   * The broker creates its group-offsets topic when a consumer group first asks for its
   * coordinator; ask once here, so that the first measured run does not pay for it (it took that
   * run 1.3 s longer to its first record).
   */
  private static void createOffsetsTopic(String bootstrap) throws Exception {
    try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
      admin
          .listConsumerGroupOffsets("bench-warm-up")
          .partitionsToOffsetAndMetadata()
          .get(60, TimeUnit.SECONDS);
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
    // Not idempotent: a fresh topic's first NOT_LEADER answer can leave an idempotent producer's
    // sequence numbers out of step with the in-JVM broker's.
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
