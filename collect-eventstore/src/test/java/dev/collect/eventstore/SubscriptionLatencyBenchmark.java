package dev.collect.eventstore;

import dev.collect.core.CheckpointStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * Live subscription latency: 4 threads append single events at a paced total rate (default
 * 1,000/s); a subscription on another store instance over the same log records when its handler
 * sees each event. Latency is "handler sees it" minus "append returned" (0 when the handler saw it
 * first: the file store publishes an event to readers before it acknowledges the append). Reports
 * p50, p99 and max after a warm-up. Not a test: run by hand,
 *
 * <p>{@code SubscriptionLatencyBenchmark [seconds=10] [eventsPerSecond=1000] [file,postgres]}.
 *
 * <p>The file store's subscription is woken in-process by the writer. PostgreSQL (an embedded
 * server with {@code fsync} and {@code synchronous_commit} on) twice: a subscription of the
 * appending store (woken in-process once the append commits), and one of a second store instance
 * over the same tables, as another process's would be, woken by {@code LISTEN/NOTIFY} through the
 * database (its fallback poll set to 10 s, so a lost notification would show).
 */
public final class SubscriptionLatencyBenchmark {
  private static final double WARM_UP_SECONDS = 2;

  /** Appending threads, each paced at a quarter of the rate: one alone may not reach it. */
  private static final int APPENDERS = 4;

  private SubscriptionLatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    String backends = args.length > 2 ? args[2] : "file,postgres";
    System.out.printf(
        "paced appends of 1 event (%d bytes) at %,d/s, %.0f s measured after %.0f s warm-up%n",
        EventStoreBenchmark.PAYLOAD.length, rate, seconds, WARM_UP_SECONDS);
    System.out.printf(
        "%-32s %9s %9s %9s %9s %9s%n", "backend", "events", "ev/s", "p50 ms", "p99 ms", "max ms");
    if (backends.contains("file")) {
      Path dir = Files.createTempDirectory("es-latency");
      try (EventStore store = EventStore.file(dir.resolve("log"))) {
        measure("file (fsync)", store, store, rate, seconds);
      }
    }
    if (backends.contains("postgres")) {
      try (EmbeddedPostgres pg =
          EmbeddedPostgres.builder().setServerConfig("fsync", "on").start()) {
        DataSource pool = TestConnectionPool.of(pg.getPostgresDatabase());
        PostgresEventStoreConfig.Builder config =
            PostgresEventStoreConfig.builder(pool).tablePrefix("latency");
        try (EventStore writer = EventStore.postgres(config.build());
            // the fallback poll only every 10 s: what is seen sooner was woken by a NOTIFY
            EventStore reader =
                EventStore.postgres(config.pollInterval(Duration.ofSeconds(10)).build())) {
          measure("postgres, same store", writer, writer, rate, seconds);
          measure("postgres, other store (NOTIFY)", writer, reader, rate, seconds);
        }
      }
    }
  }

  static void measure(String name, EventStore writer, EventStore reader, int rate, double seconds)
      throws InterruptedException {
    Map<String, Long> seen = new ConcurrentHashMap<>();
    Subscription sub =
        reader.subscribe(
            "latency-" + System.nanoTime(),
            CheckpointStore.inMemory(),
            e -> seen.put(e.eventId(), System.nanoTime()));
    long period = TimeUnit.SECONDS.toNanos(1) / rate;
    int warmUp = (int) (WARM_UP_SECONDS * rate);
    int total = warmUp + (int) (seconds * rate);
    String[] ids = new String[total];
    long[] acked = new long[total];
    long start = System.nanoTime();
    Thread[] appenders = new Thread[APPENDERS];
    for (int t = 0; t < APPENDERS; t++) {
      int first = t;
      appenders[t] =
          new Thread(
              () -> {
                // event i is due at start + i * period; appender t takes every APPENDERS-th one
                for (int i = first; i < total; i += APPENDERS) {
                  long wait = start + i * period - System.nanoTime();
                  if (wait > 0) {
                    LockSupport.parkNanos(wait);
                  }
                  EventData event = EventData.of("Paced", EventStoreBenchmark.PAYLOAD);
                  writer.append("paced-" + first, ExpectedVersion.any(), event);
                  acked[i] = System.nanoTime();
                  ids[i] = event.eventId();
                }
              });
      appenders[t].start();
    }
    for (Thread t : appenders) {
      t.join();
    }
    long lastAck = Arrays.stream(acked).max().orElseThrow();
    double achieved = (total - warmUp) / ((lastAck - (start + warmUp * period)) / 1e9);
    long headAfter = writer.headPosition();
    if (!sub.awaitPosition(headAfter, Duration.ofSeconds(60))) {
      throw new IllegalStateException("the subscription did not catch up: " + sub.failure());
    }
    sub.close();
    long[] latencies = new long[total - warmUp];
    for (int i = warmUp; i < total; i++) {
      Long at = seen.get(ids[i]);
      if (at == null) {
        throw new IllegalStateException("event " + i + " was never delivered");
      }
      latencies[i - warmUp] = Math.max(0, at - acked[i]);
    }
    Arrays.sort(latencies);
    System.out.printf(
        "%-32s %,9d %,9.0f %9.2f %9.2f %9.2f%n",
        name,
        latencies.length,
        achieved,
        percentile(latencies, 0.50),
        percentile(latencies, 0.99),
        latencies[latencies.length - 1] / 1e6);
  }

  private static double percentile(long[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }
}
