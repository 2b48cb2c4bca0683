package dev.collect.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
