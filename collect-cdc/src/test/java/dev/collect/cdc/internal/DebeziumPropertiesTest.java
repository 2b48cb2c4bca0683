package dev.collect.cdc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.cdc.CdcSourceConfig;
import dev.collect.cdc.SnapshotMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DebeziumPropertiesTest {

  @Test
  void postgresSettingsBecomeDebeziumPropertiesAndExtrasWin() {
    CdcSourceConfig config =
        CdcSourceConfig.postgres()
            .name("orders")
            .connect("db.local", 6543)
            .databaseName("shop")
            .tables("public.orders", "public.items")
            .snapshotMode(SnapshotMode.NO_DATA)
            .slotName("orders_slot")
            .dropSlotOnStop(true)
            .property("snapshot.mode", "always")
            .property("decimal.handling.mode", "string")
            .build();

    Properties p = DebeziumProperties.of(config, "id-1");

    assertThat(p.getProperty("connector.class")).endsWith("PostgresConnector");
    assertThat(p.getProperty("plugin.name")).isEqualTo("pgoutput");
    assertThat(p.getProperty("database.hostname")).isEqualTo("db.local");
    assertThat(p.getProperty("database.port")).isEqualTo("6543");
    assertThat(p.getProperty("database.dbname")).isEqualTo("shop");
    assertThat(p.getProperty("table.include.list")).isEqualTo("public.orders,public.items");
    assertThat(p.getProperty("slot.name")).isEqualTo("orders_slot");
    assertThat(p.getProperty("slot.drop.on.stop")).isEqualTo("true");
    assertThat(p.getProperty("publication.autocreate.mode")).isEqualTo("filtered");
    assertThat(p.getProperty("skipped.operations")).isEqualTo("none");
    assertThat(p.getProperty("offset.storage"))
        .isEqualTo(CheckpointOffsetBackingStore.class.getName());
    assertThat(p.getProperty(OffsetStores.ID_PROPERTY)).isEqualTo("id-1");
    assertThat(p.getProperty("snapshot.mode")).as("extra properties win").isEqualTo("always");
    assertThat(p.getProperty("decimal.handling.mode")).isEqualTo("string");
  }

  @Test
  void mysqlSettings() {
    CdcSourceConfig config =
        CdcSourceConfig.mysql()
            .databaseName("shop")
            .serverId(42)
            .schemaHistoryFile(Path.of("/tmp/h.dat"))
            .build();

    Properties p = DebeziumProperties.of(config, "id-2");

    assertThat(p.getProperty("connector.class")).endsWith("MySqlConnector");
    assertThat(p.getProperty("database.server.id")).isEqualTo("42");
    assertThat(p.getProperty("database.include.list")).isEqualTo("shop");
    assertThat(p.getProperty("schema.history.internal.file.filename")).isEqualTo("/tmp/h.dat");
    assertThat(p.getProperty("database.jdbc.driver"))
        .isEqualTo(MariaDbCompatibleDriver.class.getName());
    assertThat(p.getProperty("provide.transaction.metadata")).isEqualTo("true");
  }

  /** Each row of the README's table of defaults, and the properties Collect always sets. */
  @Test
  void postgresDefaultsAreTheReadmesTable() {
    CdcSourceConfig config = CdcSourceConfig.postgres().databaseName("shop").build();

    Properties p = DebeziumProperties.of(config, "id-3");

    assertThat(p.getProperty("name")).isEqualTo("cdc");
    assertThat(p.getProperty("topic.prefix")).isEqualTo("cdc");
    assertThat(p.getProperty("database.hostname")).isEqualTo("127.0.0.1");
    assertThat(p.getProperty("database.port")).isEqualTo("5432");
    assertThat(p.getProperty("database.user")).isEqualTo("postgres");
    assertThat(p.getProperty("database.password")).isEmpty();
    assertThat(p.getProperty("database.dbname")).isEqualTo("shop");
    assertThat(p).as("all tables").doesNotContainKey("table.include.list");
    assertThat(p.getProperty("publication.autocreate.mode")).isEqualTo("all_tables");
    assertThat(p.getProperty("snapshot.mode")).isEqualTo("initial");
    assertThat(p.getProperty("slot.name")).isEqualTo("collect_cdc");
    assertThat(p.getProperty("publication.name")).isEqualTo("collect_cdc");
    assertThat(p.getProperty("slot.drop.on.stop")).isEqualTo("false");
    assertThat(p.getProperty("heartbeat.interval.ms")).isEqualTo("10000");
    assertThat(p.getProperty("max.batch.size")).isEqualTo("2048");
    assertThat(p.getProperty("skipped.operations")).isEqualTo("none");
    assertThat(p.getProperty("tombstones.on.delete")).isEqualTo("false");
    assertThat(p).doesNotContainKeys("include.schema.changes", "provide.transaction.metadata");
    assertThat(config.bufferRecords()).isEqualTo(8192);
    assertThat(config.ordering()).isEqualTo(CdcSourceConfig.Ordering.TABLE);
    assertThat(config.slotLagInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.startTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.checkpointKey()).isEqualTo("cdc-cdc-offsets");
  }

  @Test
  void mysqlDefaultsAreTheReadmesTable() {
    CdcSourceConfig config =
        CdcSourceConfig.mysql().schemaHistoryFile(Path.of("/tmp/h.dat")).build();

    Properties p = DebeziumProperties.of(config, "id-4");

    assertThat(p.getProperty("name")).isEqualTo("cdc");
    assertThat(p.getProperty("topic.prefix")).isEqualTo("cdc");
    assertThat(p.getProperty("database.hostname")).isEqualTo("127.0.0.1");
    assertThat(p.getProperty("database.port")).isEqualTo("3306");
    assertThat(p.getProperty("database.user")).isEqualTo("root");
    assertThat(p.getProperty("database.password")).isEmpty();
    assertThat(p.getProperty("database.server.id")).isEqualTo("5701");
    assertThat(p).as("all tables").doesNotContainKey("table.include.list");
    assertThat(p.getProperty("snapshot.mode")).isEqualTo("initial");
    assertThat(p.getProperty("heartbeat.interval.ms")).isEqualTo("10000");
    assertThat(p.getProperty("skipped.operations")).isEqualTo("none");
    assertThat(p.getProperty("tombstones.on.delete")).isEqualTo("false");
    assertThat(p.getProperty("include.schema.changes")).isEqualTo("true");
    assertThat(p.getProperty("provide.transaction.metadata")).isEqualTo("true");
    assertThat(p).doesNotContainKeys("slot.name", "publication.name", "database.dbname");
    assertThat(config.startTimeout()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void aZeroHeartbeatIntervalTurnsHeartbeatsOffAndTheBufferBoundsDebeziumsBatch() {
    CdcSourceConfig config =
        CdcSourceConfig.postgres()
            .databaseName("shop")
            .heartbeatInterval(Duration.ZERO)
            .bufferRecords(100)
            .build();

    Properties p = DebeziumProperties.of(config, "id-5");

    assertThat(p.getProperty("heartbeat.interval.ms")).as("0 is Debezium's off").isEqualTo("0");
    assertThat(p.getProperty("max.batch.size")).isEqualTo("100");
  }

  @Test
  void mariaDbTranslationTouchesOnlyTheBinlogStatusStatement() {
    assertThat(MariaDbCompatibleDriver.translate("SHOW BINARY LOG STATUS"))
        .isEqualTo("SHOW MASTER STATUS");
    assertThat(MariaDbCompatibleDriver.translate(" show binary log status "))
        .isEqualTo("SHOW MASTER STATUS");
    assertThat(MariaDbCompatibleDriver.translate("SELECT 1")).isEqualTo("SELECT 1");
    assertThat(MariaDbCompatibleDriver.translate(null)).isNull();
  }
}
