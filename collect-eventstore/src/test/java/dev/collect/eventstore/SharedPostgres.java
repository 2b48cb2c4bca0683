package dev.collect.eventstore;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sql.DataSource;

/**
 * One embedded PostgreSQL for the test JVM, started on first use and stopped when the JVM exits,
 * for test classes that only need tables of their own.
 */
final class SharedPostgres {
  private static DataSource pool;

  private SharedPostgres() {}

  static synchronized DataSource pool() {
    if (pool == null) {
      try {
        EmbeddedPostgres postgres =
            EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "off").start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> close(postgres)));
        pool = TestConnectionPool.of(postgres.getPostgresDatabase());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return pool;
  }

  private static void close(EmbeddedPostgres postgres) {
    try {
      postgres.close();
    } catch (IOException e) {
      // The JVM is exiting; the data directory is temporary.
    }
  }
}
