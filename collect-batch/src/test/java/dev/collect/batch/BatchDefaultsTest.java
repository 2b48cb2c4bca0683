package dev.collect.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.CheckpointStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** The defaults the README's "Parts and defaults" table states, as the builders make them. */
class BatchDefaultsTest {
  private static DataSource h2() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:defaults_" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    return h2;
  }

  @Test
  void schedulerDefaults() {
    Job job =
        Job.of("j", Schedule.daily(LocalTime.NOON, ZoneOffset.UTC), JobSchedulerTest::threeRecords);
    SchedulerCluster cluster = SchedulerCluster.of(h2());

    assertThat(job.missedRuns()).isEqualTo(MissedRunPolicy.RUN_ONCE);
    assertThat(cluster.lease()).isEqualTo(Duration.ofSeconds(30));
    assertThat(cluster.poll()).isEqualTo(Duration.ofSeconds(1));
    assertThat(cluster.tablePrefix()).isEqualTo("collect_job");
  }

  @Test
  void jdbcCheckpointStoreUsesTableCollectCheckpoints() throws Exception {
    DataSource db = h2();

    CheckpointStore store = JdbcCheckpointStore.create(db);
    store.save("k", "v");

    assertThat(Databases.queryLong(db, "SELECT count(*) FROM collect_checkpoints")).isEqualTo(1);
  }

  @Test
  void fileSourceDefaults() {
    FileSourceConfig config = FileSourceConfig.builder(Path.of("in")).build();

    assertThat(config.glob()).isEqualTo("*");
    assertThat(config.csvSeparator()).isEqualTo(',');
    assertThat(config.maxLineBytes()).isEqualTo(1024 * 1024);
    assertThat(config.fingerprint()).isEqualTo(FileSourceConfig.Fingerprint.SIZE_AND_MTIME);
  }

  @Test
  void jdbcSourceDefaults() {
    JdbcSourceConfig plain = JdbcSourceConfig.builder(h2(), "events", "updated_at").build();
    JdbcSourceConfig sliced =
        JdbcSourceConfig.builder(h2(), "events", "updated_at").slice("id", 1, 3).build();
    JdbcSourceConfig paged =
        JdbcSourceConfig.builder(h2(), "events", "updated_at").pageSize(250).build();

    assertThat(plain.pageSize()).isEqualTo(1000);
    assertThat(plain.fetchSize()).isEqualTo(1000);
    assertThat(paged.fetchSize()).isEqualTo(250);
    assertThat(plain.checkpointKey()).isEqualTo("jdbc:events");
    assertThat(sliced.checkpointKey()).isEqualTo("jdbc:events#1/3");
    assertThat(sliced.name()).isEqualTo("jdbc:events#1/3");
  }

  @Test
  void jdbcSinkDetectsTheDialect() throws Exception {
    DataSource db = h2();
    Databases.execute(db, "CREATE TABLE t (id BIGINT PRIMARY KEY)");
    JdbcSinkConfig config = JdbcSinkConfig.builder(db, "t", List.of("id")).build();

    assertThat(config.dialect()).isNull();
    assertThat(SqlDialect.detect(db)).isEqualTo(SqlDialect.H2);
  }

  @Test
  void httpSourceDefaults() {
    HttpSourceConfig config =
        HttpSourceConfig.builder(URI.create("http://localhost/items")).build();

    assertThat(config.pageSize()).isEqualTo(100);
    assertThat(config.requestsPerSecond()).isEqualTo(10);
    assertThat(config.maxAttempts()).isEqualTo(5);
    assertThat(config.initialBackoff()).isEqualTo(Duration.ofMillis(200));
    assertThat(config.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void lakeSinkDefaults() {
    LakeSinkConfig parquet =
        LakeSinkConfig.builder(Path.of("lake")).columns(Column.of("id", ColumnType.LONG)).build();
    LakeSinkConfig text =
        LakeSinkConfig.builder(Path.of("lake")).format(LakeFormat.JSON_LINES).build();
    LakeSinkConfig csv =
        LakeSinkConfig.builder(Path.of("lake"))
            .format(LakeFormat.CSV)
            .columns(Column.of("id", ColumnType.LONG))
            .build();

    assertThat(parquet.format()).isEqualTo(LakeFormat.PARQUET);
    assertThat(parquet.compression()).isEqualTo(Compression.SNAPPY);
    assertThat(text.compression()).isEqualTo(Compression.GZIP);
    assertThat(csv.compression()).isEqualTo(Compression.GZIP);
    assertThat(parquet.maxRecordsPerFile()).isEqualTo(1_000_000);
    assertThat(parquet.maxBytesPerFile()).isEqualTo(128L * 1024 * 1024);
    assertThat(parquet.maxFileAge()).isEqualTo(Duration.ofMinutes(15));
  }
}
