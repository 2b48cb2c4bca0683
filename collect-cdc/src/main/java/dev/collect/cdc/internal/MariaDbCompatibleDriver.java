package dev.collect.cdc.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The JDBC driver Debezium's MySQL connector uses here: MySQL Connector/J, plus one translation for
 * MariaDB. The connector (3.6) reads the binlog position with MySQL 8.4's {@code SHOW BINARY LOG
 * STATUS} and takes MariaDB's version number 10.x/11.x for a MySQL newer than 8.4, so it never
 * falls back to {@code SHOW MASTER STATUS}, which MariaDB understands. On a MariaDB server only,
 * statements issued through this driver get that one statement translated; everything else passes
 * through unchanged.
 */
public final class MariaDbCompatibleDriver implements Driver {
  private static final String MYSQL_84 = "SHOW BINARY LOG STATUS";
  private static final String CLASSIC = "SHOW MASTER STATUS";

  private final Driver delegate = new com.mysql.cj.jdbc.Driver();

  public MariaDbCompatibleDriver() throws SQLException {}

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    Connection connection = delegate.connect(url, info);
    if (connection == null) {
      return null;
    }
    String version = connection.getMetaData().getDatabaseProductVersion();
    if (version == null || !version.toLowerCase(Locale.ROOT).contains("mariadb")) {
      return connection;
    }
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new Translating(connection));
  }

  static String translate(String sql) {
    return sql != null && sql.trim().equalsIgnoreCase(MYSQL_84) ? CLASSIC : sql;
  }

  /** Wraps the connection and its plain statements; translates SQL passed as a string. */
  private static final class Translating implements InvocationHandler {
    private final Object target;

    Translating(Object target) {
      this.target = target;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (args != null && args.length > 0 && args[0] instanceof String sql) {
        args[0] = translate(sql);
      }
      Object result;
      try {
        result = method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      if (result instanceof Statement statement
          && !(result instanceof java.sql.PreparedStatement)
          && method.getReturnType() == Statement.class) {
        return Proxy.newProxyInstance(
            Statement.class.getClassLoader(),
            new Class<?>[] {Statement.class},
            new Translating(statement));
      }
      return result;
    }
  }

  @Override
  public boolean acceptsURL(String url) throws SQLException {
    return delegate.acceptsURL(url);
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
    return delegate.getPropertyInfo(url, info);
  }

  @Override
  public int getMajorVersion() {
    return delegate.getMajorVersion();
  }

  @Override
  public int getMinorVersion() {
    return delegate.getMinorVersion();
  }

  @Override
  public boolean jdbcCompliant() {
    return delegate.jdbcCompliant();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }
}
