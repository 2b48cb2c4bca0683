package dev.collect.eventstore;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * A data source whose connections run in a transaction and hold it open at {@code commit()} until
 * the test says commit or roll back: a store over it leaves its append in flight, with its rows
 * written and its positions taken, for as long as the test needs.
 */
final class HeldCommit {
  private final CountDownLatch reached = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile boolean rollBack;
  private volatile boolean armed;
  final DataSource dataSource;

  HeldCommit(DataSource target) {
    this.dataSource =
        (DataSource)
            Proxy.newProxyInstance(
                HeldCommit.class.getClassLoader(),
                new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                  Object result = TestConnectionPool.invoke(method, target, args);
                  if (result instanceof Connection c) {
                    c.setAutoCommit(false);
                    return holding(c);
                  }
                  return result;
                });
  }

  /**
   * Starts an append of {@code store} (a store over {@link #dataSource}) and returns once it waits
   * at its commit, its transaction open. Opening the store committed its schema before: only
   * commits from now on are held.
   */
  CompletableFuture<AppendResult> startAppend(
      EventStore store, String stream, ExpectedVersion expected, EventData event)
      throws InterruptedException {
    armed = true;
    CompletableFuture<AppendResult> append =
        CompletableFuture.supplyAsync(() -> store.append(stream, expected, event));
    if (!reached.await(60, TimeUnit.SECONDS)) {
      throw new AssertionError("no append reached its commit");
    }
    return append;
  }

  void commit() {
    released.countDown();
  }

  void rollBack() {
    rollBack = true;
    released.countDown();
  }

  private Connection holding(Connection real) {
    return (Connection)
        Proxy.newProxyInstance(
            HeldCommit.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (method.getName().equals("commit") && armed) {
                reached.countDown();
                released.await();
                if (rollBack) {
                  real.rollback();
                  throw new SQLException("rolled back by the test", "40001");
                }
              }
              return TestConnectionPool.invoke(method, real, args);
            });
  }
}
