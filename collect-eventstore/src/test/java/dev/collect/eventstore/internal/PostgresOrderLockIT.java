package dev.collect.eventstore.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.eventstore.EventData;
import dev.collect.eventstore.ExpectedVersion;
import dev.collect.eventstore.PostgresEventStoreConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The session-level lock the append function takes around its transaction id, positions and time
 * (see {@link PostgresSchema}): appends wait for it, and {@link PostgresSchema#releaseOrderLock}
 * (what the store runs after a failed call) releases it when a call left it held.
 */
class PostgresOrderLockIT {
  @Test
  void appendsWaitForTheOrderLockAndReleaseOrderLockFreesAConnectionThatWasLeftHoldingIt()
      throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      String prefix = "lock" + ProcessHandle.current().pid();
      PostgresSchema schema = new PostgresSchema(prefix);
      try (PostgresEventStore store =
              PostgresEventStore.open(
                  PostgresEventStoreConfig.builder(pg.getPostgresDatabase())
                      .tablePrefix(prefix)
                      .build());
          Connection left = pg.getPostgresDatabase().getConnection()) {
        // A call cancelled between taking and releasing the lock leaves it with its session:
        // this session takes it with the function's own key.
        String function = functionText(left, prefix);
        String lock = function.substring(function.indexOf("pg_advisory_lock("));
        lock = lock.substring(0, lock.indexOf(')') + 1);
        try (Statement s = left.createStatement()) {
          s.execute("SELECT " + lock);
        }
        CompletableFuture<Long> append =
            CompletableFuture.supplyAsync(
                () ->
                    store
                        .append(
                            "s",
                            ExpectedVersion.any(),
                            List.of(EventData.of("T", "x".getBytes(StandardCharsets.UTF_8))))
                        .firstPosition());
        boolean waited;
        try {
          append.get(1, TimeUnit.SECONDS);
          waited = false;
        } catch (TimeoutException e) {
          waited = true;
        }
        assertThat(waited)
            .as("an append waits while another session holds the order lock")
            .isTrue();
        try (Statement s = left.createStatement()) {
          s.execute(schema.releaseOrderLock());
        }
        assertThat(append.get(30, TimeUnit.SECONDS)).isEqualTo(0L);
        // and on a session that does not hold it, releasing is a no-op without a warning
        try (Statement s = left.createStatement()) {
          s.execute(schema.releaseOrderLock());
          assertThat((Object) s.getWarnings()).isNull();
        }
      }
    }
  }

  private static String functionText(Connection c, String prefix) throws Exception {
    try (Statement s = c.createStatement();
        java.sql.ResultSet rs =
            s.executeQuery("SELECT pg_get_functiondef('" + prefix + "_append'::regproc)")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
