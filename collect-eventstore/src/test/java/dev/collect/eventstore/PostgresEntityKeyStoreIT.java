package dev.collect.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link EntityKeyStore#postgres}: a table per test, no cache so a reopen reads the table. */
class PostgresEntityKeyStoreIT extends EntityKeyStoreContract {
  private static final AtomicInteger TABLES = new AtomicInteger();
  private String table;

  @Override
  protected EntityKeyStore newKeyStore() {
    table = "ekc" + ProcessHandle.current().pid() + "_" + TABLES.incrementAndGet();
    return EntityKeyStore.postgres(SharedPostgres.pool(), table, Duration.ZERO);
  }

  @Override
  protected EntityKeyStore reopen() {
    return EntityKeyStore.postgres(SharedPostgres.pool(), table, Duration.ZERO);
  }

  @Test
  void anErasureThroughOneStoreReachesAnotherThatCachedTheKeyWithinCacheTtl() throws Exception {
    Duration ttl = Duration.ofMillis(500);
    String prefix = "ekttl" + ProcessHandle.current().pid() + "_" + TABLES.incrementAndGet();
    PostgresEventStoreConfig config =
        PostgresEventStoreConfig.builder(SharedPostgres.pool()).tablePrefix(prefix).build();
    try (EventStore backendA = EventStore.postgres(config);
        EventStore backendB = EventStore.postgres(config)) {
      EventStore a =
          backendA.withCryptoShredding(EntityKeyStore.postgres(SharedPostgres.pool(), prefix, ttl));
      EventStore b =
          backendB.withCryptoShredding(EntityKeyStore.postgres(SharedPostgres.pool(), prefix, ttl));
      a.append("s", ExpectedVersion.any(), EventData.of("T", bytes("secret")));
      assertThat(b.readStream("s", 0, 10)).singleElement().matches(e -> !e.erased());
      b.append("s", ExpectedVersion.any(), EventData.of("T", bytes("cached key"))); // caches it

      a.erase("s");
      long erasedAt = System.nanoTime();
      long waitNanos = erasedAt + ttl.toNanos() - System.nanoTime();
      if (waitNanos > 0) {
        Thread.sleep(waitNanos / 1_000_000 + 1);
      }

      assertThat(b.readStream("s", 0, 10))
          .hasSize(2)
          .allMatch(RecordedEvent::erased)
          .allMatch(e -> e.data().length == 0);
      assertThatThrownBy(
              () -> b.append("s", ExpectedVersion.any(), EventData.of("T", bytes("after"))))
          .isInstanceOf(StreamErasedException.class);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void keyStoresOpenedAtOnceByManyCallersAllSucceedOnOneTable() throws Exception {
    // PostgreSQL's CREATE TABLE IF NOT EXISTS loses a race with a concurrent creator; every opener
    // must still succeed and use the one table.
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(6);
    try {
      for (int round = 0; round < 10; round++) {
        String prefix = "ks_race_" + round + "_" + System.nanoTime();
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(6);
        java.util.List<java.util.concurrent.Future<EntityKeyStore>> opened =
            new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
          opened.add(
              pool.submit(
                  () -> {
                    together.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    return EntityKeyStore.postgres(SharedPostgres.pool(), prefix, Duration.ZERO);
                  }));
        }
        byte[] first = null;
        for (java.util.concurrent.Future<EntityKeyStore> f : opened) {
          byte[] key = f.get(60, java.util.concurrent.TimeUnit.SECONDS).keyFor("stream-1");
          if (first == null) {
            first = key;
          }
          assertThat(key).isEqualTo(first);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
