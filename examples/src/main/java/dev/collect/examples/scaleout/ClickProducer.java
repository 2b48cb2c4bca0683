package dev.collect.examples.scaleout;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes clickstream events (JSON, about 250 bytes, keyed by user) to a topic from a thread of its
 * own, at a given rate or as fast as it can, until stopped.
 */
final class ClickProducer implements AutoCloseable {
  private static final String[] TYPES = {"view", "click", "add_to_cart", "purchase", "rating"};
  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicBoolean stop = new AtomicBoolean();
  private Thread thread;

  ClickProducer(String servers, String topic) {
    this.producer =
        new KafkaProducer<>(
            Map.of(
                "bootstrap.servers",
                servers,
                "linger.ms",
                5,
                "acks",
                "all",
                // a retried batch may be written twice: the readers count offsets, not events
                "enable.idempotence",
                false),
            new ByteArraySerializer(),
            new ByteArraySerializer());
    this.topic = topic;
  }

  /** Sends {@code total} events (or until stopped, if 0) at {@code perSecond} (0: unthrottled). */
  ClickProducer start(long total, int perSecond) {
    thread =
        new Thread(
            () -> {
              SplittableRandom random = new SplittableRandom(42);
              long started = System.nanoTime();
              while (!stop.get() && (total == 0 || sent.get() < total)) {
                long n = sent.get();
                if (perSecond > 0 && n * 1_000_000_000L / perSecond > System.nanoTime() - started) {
                  sleepQuietly();
                  continue;
                }
                long user = 1 + random.nextInt(50_000);
                String json =
                    String.format(
                        Locale.ROOT,
                        "{\"event_id\":\"e-%d\",\"user_id\":%d,\"item_id\":\"item-%d\","
                            + "\"event_type\":\"%s\",\"timestamp\":\"2026-11-24T10:%02d:%02dZ\","
                            + "\"properties\":{\"page\":\"/p/%d\",\"position\":%d,"
                            + "\"ip\":\"10.1.%d.%d\",\"session\":\"s-%d\"}}",
                        n,
                        user,
                        random.nextInt(10_000),
                        TYPES[random.nextInt(TYPES.length)],
                        n / 60 % 60,
                        n % 60,
                        random.nextInt(500),
                        random.nextInt(20),
                        random.nextInt(256),
                        random.nextInt(256),
                        user * 7 + n / 1000);
                producer.send(
                    new ProducerRecord<>(
                        topic,
                        Long.toString(user).getBytes(StandardCharsets.UTF_8),
                        json.getBytes(StandardCharsets.UTF_8)));
                sent.incrementAndGet();
              }
              producer.flush();
            },
            "click-producer");
    thread.start();
    return this;
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Events handed to the producer so far. */
  long sent() {
    return sent.get();
  }

  /** Waits until the thread sent {@code total} (a bounded run) and every send was acknowledged. */
  void awaitDone() throws InterruptedException {
    thread.join();
    producer.flush();
  }

  /** Stops sending; returns the number of events sent, all acknowledged. */
  long stop() throws InterruptedException {
    stop.set(true);
    thread.join();
    producer.flush();
    return sent.get();
  }

  @Override
  public void close() {
    stop.set(true);
    producer.close();
  }
}
