package dev.collect.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract against PostgreSQL (the JVM's {@link SharedPostgres}; tables per test). */
class PostgresEventStoreIT extends EventStoreContract {
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static javax.sql.DataSource pool;

  @BeforeAll
  static void startPostgres() {
    pool = SharedPostgres.pool();
  }

  @Override
  protected EventStore newStore() {
    return EventStore.postgres(
        PostgresEventStoreConfig.builder(pool)
            .tablePrefix("es" + ProcessHandle.current().pid() + "_" + TABLES.incrementAndGet())
            .build());
  }

  @Override
  protected EntityKeyStore newKeyStore() {
    return EntityKeyStore.postgres(
        pool,
        "keys" + ProcessHandle.current().pid() + "_" + TABLES.incrementAndGet(),
        Duration.ZERO);
  }

  @Override
  protected int concurrencyAppendsPerThread() {
    return 100;
  }

  @Test
  void readersNeverSeeAPositionBeforeTheOnesBelowIt() throws Exception {
    // Readers poll the log while 6 writers append: every read must be a gap-free prefix from its
    // start position, whatever order the transactions committed in.
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> writers = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      int thread = t;
      writers.add(
          pool.submit(
              () -> {
                for (int i = 0; i < 50; i++) {
                  store.append("w" + thread, ExpectedVersion.any(), event("T", thread + "-" + i));
                }
                return null;
              }));
    }
    Future<Integer> reader =
        pool.submit(
            () -> {
              long next = 0;
              while (writing.get() || next < store.headPosition()) {
                for (RecordedEvent e : store.readAll(next, 1000)) {
                  assertThat(e.position()).isEqualTo(next);
                  next++;
                }
              }
              return (int) next;
            });

    for (Future<?> w : writers) {
      w.get(60, TimeUnit.SECONDS);
    }
    writing.set(false);
    int seen = reader.get(60, TimeUnit.SECONDS);
    pool.shutdown();

    assertThat(seen).isEqualTo(300);
    assertThat(store.headPosition()).isEqualTo(300);
  }

  @Test
  void twoStoreInstancesOnTheSameTablesShareOneLog() {
    String prefix = "shared" + ProcessHandle.current().pid() + "_" + TABLES.incrementAndGet();
    EventStore a =
        EventStore.postgres(PostgresEventStoreConfig.builder(pool).tablePrefix(prefix).build());
    EventStore b =
        EventStore.postgres(PostgresEventStoreConfig.builder(pool).tablePrefix(prefix).build());

    a.append("s", ExpectedVersion.noStream(), event("T", "from a"));

    assertThat(b.streamVersion("s")).isZero();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> b.append("s", ExpectedVersion.noStream(), event("T", "from b")))
        .isInstanceOf(ConcurrencyException.class);
    assertThat(b.readAll(0, 10)).extracting(EventStoreContract::text).containsExactly("from a");
  }
}
