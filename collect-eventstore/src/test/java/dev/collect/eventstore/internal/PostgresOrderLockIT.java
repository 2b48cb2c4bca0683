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

  @Test
  void aConnectionThatClosesWhileHoldingTheOrderLockReleasesIt() throws Exception {
    appendProceedsOnceTheHolderEnds("closed", (holder, pid, other) -> holder.close());
  }

  @Test
  void aConnectionTerminatedWhileHoldingTheOrderLockReleasesIt() throws Exception {
    appendProceedsOnceTheHolderEnds(
        "killed",
        (holder, pid, other) -> {
          try (Statement s = other.createStatement();
              java.sql.ResultSet rs = s.executeQuery("SELECT pg_terminate_backend(" + pid + ")")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("the holder's backend was terminated").isTrue();
          }
        });
  }

  interface HolderEnd {
    void end(Connection holder, int pid, Connection other) throws Exception;
  }

  private void appendProceedsOnceTheHolderEnds(String name, HolderEnd end) throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      String prefix = name + ProcessHandle.current().pid();
      try (PostgresEventStore store =
              PostgresEventStore.open(
                  PostgresEventStoreConfig.builder(pg.getPostgresDatabase())
                      .tablePrefix(prefix)
                      .build());
          Connection other = pg.getPostgresDatabase().getConnection()) {
        Connection holder = pg.getPostgresDatabase().getConnection();
        String function = functionText(holder, prefix);
        String lock = function.substring(function.indexOf("pg_advisory_lock("));
        lock = lock.substring(0, lock.indexOf(')') + 1);
        int pid;
        try (Statement s = holder.createStatement();
            java.sql.ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
          rs.next();
          pid = rs.getInt(1);
          s.execute("SELECT " + lock);
        }
        CompletableFuture<Long> append =
            CompletableFuture.supplyAsync(
                () ->
                    store.append("s", ExpectedVersion.any(), List.of(event("e1"))).firstPosition());
        boolean waited;
        try {
          append.get(1, TimeUnit.SECONDS);
          waited = false;
        } catch (TimeoutException e) {
          waited = true;
        }
        assertThat(waited).as("an append waits while the holder's session is open").isTrue();

        end.end(holder, pid, other);

        assertThat(append.get(30, TimeUnit.SECONDS)).isEqualTo(0L);
        assertThat(store.append("s", ExpectedVersion.any(), List.of(event("e2"))).firstPosition())
            .isEqualTo(1L);
        holder.close();
      }
    }
  }

  @Test
  void aFailedAppendDoesNotGiveItsConnectionBackHoldingTheOrderLock() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      String prefix = "fail" + ProcessHandle.current().pid();
      javax.sql.DataSource target = pg.getPostgresDatabase();
      // Connections handed out to this thread while `leave` is set come holding the order lock, as
      // if a call on them had been cancelled between taking and releasing it.
      ThreadLocal<String> leave = new ThreadLocal<>();
      javax.sql.DataSource leaking =
          (javax.sql.DataSource)
              java.lang.reflect.Proxy.newProxyInstance(
                  getClass().getClassLoader(),
                  new Class<?>[] {javax.sql.DataSource.class},
                  (proxy, method, args) -> {
                    Object result = method.invoke(target, args);
                    if (method.getName().equals("getConnection") && leave.get() != null) {
                      try (Statement s = ((Connection) result).createStatement()) {
                        s.execute("SELECT " + leave.get());
                      }
                      leave.remove();
                      kept.add((Connection) result);
                      return keepOpen((Connection) result);
                    }
                    return result;
                  });
      try (PostgresEventStore store =
              PostgresEventStore.open(
                  PostgresEventStoreConfig.builder(leaking).tablePrefix(prefix).build());
          Connection c = target.getConnection()) {
        store.append("a", ExpectedVersion.any(), List.of(event("id-1")));
        String function = functionText(c, prefix);
        String lock = function.substring(function.indexOf("pg_advisory_lock("));
        leave.set(lock.substring(0, lock.indexOf(')') + 1));
        // the same event id in another stream: the first attempt fails on the unique index
        try {
          store.append("b", ExpectedVersion.any(), List.of(event("id-1")));
        } catch (RuntimeException expected) {
          // a conflict: what matters is the lock below
        }
        assertThat(leave.get()).as("the failing append used a leaking connection").isNull();
        // The failed call's connection is still open (a pool would keep it): another session
        // must be able to take the order lock, i.e. append.
        CompletableFuture<Long> other =
            CompletableFuture.supplyAsync(
                () ->
                    store
                        .append("c", ExpectedVersion.any(), List.of(event("id-2")))
                        .firstPosition());
        assertThat(other.get(30, TimeUnit.SECONDS)).isGreaterThan(0L);
      } finally {
        for (Connection k : kept) {
          k.close();
        }
      }
    }
  }

  private final List<Connection> kept = new java.util.ArrayList<>();

  /** The connection with close() ignored, so that its session (and any lock it holds) lives on. */
  private static Connection keepOpen(Connection real) {
    return (Connection)
        java.lang.reflect.Proxy.newProxyInstance(
            PostgresOrderLockIT.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (method.getName().equals("close")) {
                return null;
              }
              try {
                return method.invoke(real, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static EventData event(String id) {
    return EventData.builder("T", "x".getBytes(StandardCharsets.UTF_8)).eventId(id).build();
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
