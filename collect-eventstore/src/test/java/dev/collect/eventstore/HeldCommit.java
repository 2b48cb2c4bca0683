package dev.collect.eventstore;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
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
                  Object result = invoke(method, target, args);
                  if (result instanceof Connection c) {
                    c.setAutoCommit(false);
                    return holding(c);
                  }
                  return result;
                });
  }

  /** From now on the next commit is held (opening a store commits its schema first). */
  void arm() {
    armed = true;
  }

  /** Waits until an append reached its commit, its transaction still open. */
  void awaitInFlight() throws InterruptedException {
    if (!reached.await(60, TimeUnit.SECONDS)) {
      throw new AssertionError("no append reached its commit");
    }
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
              return invoke(method, real, args);
            });
  }

  private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args)
      throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
