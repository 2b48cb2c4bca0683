package dev.collect.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * 300 rows of 1 MiB from embedded PostgreSQL, with the pipeline's default bounds, through a child
 * JVM with a 256 MiB heap: the JDBC source sizes its pages (and the driver's fetches) by bytes.
 */
class JdbcSourceHeapIT {

  @Test
  @Timeout(300)
  void rowsOfOneMebibyteRunThroughTheJdbcSourceInA256MiBHeap() throws Exception {
    DataSource pg = Databases.postgres();
    String table = "heap_rows_" + Databases.unique();
    try (Connection c = pg.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, data TEXT)");
      try (PreparedStatement insert =
          c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
        String data = "x".repeat((1 << 20) - 100);
        for (int i = 0; i < 300; i++) {
          insert.setInt(1, i);
          insert.setString(2, data);
          insert.executeUpdate();
        }
      }
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");

    Process child =
        new ProcessBuilder(
                java.toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                JdbcSourceHeapIT.class.getName(),
                Databases.postgresUrl(),
                table)
            .redirectErrorStream(true)
            .start();
    String output;
    try (var stream = child.getInputStream()) {
      output = new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(child.waitFor(240, TimeUnit.SECONDS)).isTrue();

    assertThat(child.exitValue()).as(output).isZero();
    assertThat(output).contains("RESULT received=300 written=300 deadLettered=0 filtered=0");
  }

  /** The child: the table through the default pipeline into a counting sink. */
  public static void main(String[] args) {
    PGSimpleDataSource pg = new PGSimpleDataSource();
    pg.setUrl(args[0]);
    RunReport r =
        Pipeline.from(Jdbc.source(JdbcSourceConfig.builder(pg, args[1], "id").build()))
            .to(Sink.discard())
            .build()
            .run();
    System.out.println(
        "RESULT received="
            + r.received()
            + " written="
            + r.written()
            + " deadLettered="
            + r.deadLettered()
            + " filtered="
            + r.filtered());
  }
}
