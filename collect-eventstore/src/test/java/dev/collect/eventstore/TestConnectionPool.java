package dev.collect.eventstore;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.LinkedBlockingQueue;
import javax.sql.DataSource;

/**
 * A minimal connection pool for tests and the benchmark: closing a connection returns it to the
 * pool. Production code passes a real pool (HikariCP, the application server's); this keeps the
 * module free of one.
 */
final class TestConnectionPool {
  private TestConnectionPool() {}

  static DataSource of(DataSource target) {
    LinkedBlockingQueue<Connection> idle = new LinkedBlockingQueue<>();
    return (DataSource)
        Proxy.newProxyInstance(
            TestConnectionPool.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              if (!method.getName().equals("getConnection")) {
                return invoke(method, target, args);
              }
              Connection real = idle.poll();
              if (real == null || real.isClosed()) {
                real = target.getConnection();
              }
              return pooled(real, idle);
            });
  }

  private static Connection pooled(Connection real, LinkedBlockingQueue<Connection> idle) {
    boolean[] returned = {false};
    return (Connection)
        Proxy.newProxyInstance(
            TestConnectionPool.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (method.getName().equals("close")) {
                if (!returned[0]) {
                  returned[0] = true;
                  if (!real.getAutoCommit()) {
                    real.rollback();
                    real.setAutoCommit(true);
                  }
                  idle.add(real);
                }
                return null;
              }
              return invoke(method, real, args);
            });
  }

  static Object invoke(java.lang.reflect.Method method, Object target, Object[] args)
      throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof SQLException s ? s : e.getCause();
    }
  }
}
