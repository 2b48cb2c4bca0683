package dev.collect.eventstore;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

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
}
