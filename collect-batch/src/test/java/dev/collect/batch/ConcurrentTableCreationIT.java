package dev.collect.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.CheckpointStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Processes that start together create the module's tables together: PostgreSQL's {@code CREATE
 * TABLE IF NOT EXISTS} then fails in all but one of them (a unique violation in its catalog). Seen
 * in {@code ClusteredJobSchedulerIT}, where one of three scheduler JVMs died creating the
 * checkpoint table. Every creator must succeed and use the one table.
 */
@Timeout(120)
class ConcurrentTableCreationIT {
  private static final int CREATORS = 6;
  private static final int ROUNDS = 20;

  @Test
  void checkpointStoresCreatedAtOnceOnPostgresqlAllSucceedAndShareTheTable() throws Exception {
    DataSource db = Databases.postgres();
    ExecutorService pool = Executors.newFixedThreadPool(CREATORS);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        String table = "cp_race_" + Databases.unique();
        CyclicBarrier together = new CyclicBarrier(CREATORS);
        List<Future<CheckpointStore>> created = new ArrayList<>();
        for (int i = 0; i < CREATORS; i++) {
          created.add(
              pool.submit(
                  () -> {
                    together.await(30, TimeUnit.SECONDS);
                    return JdbcCheckpointStore.create(db, table);
                  }));
        }
        List<CheckpointStore> stores = new ArrayList<>();
        for (Future<CheckpointStore> f : created) {
          stores.add(f.get(60, TimeUnit.SECONDS));
        }
        stores.get(0).save("k", "round " + round);
        for (CheckpointStore store : stores) {
          assertThat(store.load("k")).contains("round " + round);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
