package dev.collect.cdc.internal;

import dev.collect.cdc.CdcSourceConfig;
import java.util.Properties;

/**
 * The one place where {@link CdcSourceConfig}'s typed settings become Debezium properties. The
 * caller's extra properties are applied last and win.
 */
final class DebeziumProperties {
  /** Debezium's marker for a value the database did not send (unchanged TOAST). */
  static final String UNAVAILABLE_PLACEHOLDER_KEY = "unavailable.value.placeholder";

  static final String DEFAULT_UNAVAILABLE_PLACEHOLDER = "__debezium_unavailable_value";
  static final String HEARTBEAT_TOPIC_PREFIX = "__debezium-heartbeat";

  /** Debezium's batch size, unless {@link CdcSourceConfig#bufferRecords()} is smaller. */
  static final int MAX_BATCH = 2048;

  private DebeziumProperties() {}

  static Properties of(CdcSourceConfig config, String offsetStoreId) {
    Properties p = new Properties();
    p.setProperty("name", config.name());
    p.setProperty("topic.prefix", config.name());
    p.setProperty("offset.storage", CheckpointOffsetBackingStore.class.getName());
    p.setProperty(OffsetStores.ID_PROPERTY, offsetStoreId);
    // Flushes happen when the pipeline commits (CommitGate); this only bounds a single flush.
    p.setProperty("offset.flush.timeout.ms", "60000");
    p.setProperty("database.hostname", config.host());
    p.setProperty("database.port", Integer.toString(config.port()));
    p.setProperty("database.user", config.user());
    p.setProperty("database.password", config.password());
    p.setProperty("snapshot.mode", config.snapshotMode().debeziumValue());
    // Truncates are changes too; Debezium skips them unless told otherwise.
    p.setProperty("skipped.operations", "none");
    p.setProperty("tombstones.on.delete", "false");
    p.setProperty("heartbeat.interval.ms", Long.toString(config.heartbeatInterval().toMillis()));
    p.setProperty("heartbeat.topics.prefix", HEARTBEAT_TOPIC_PREFIX);
    // A batch is queued whole when the buffer is empty: one larger than the buffer would pass it.
    p.setProperty("max.batch.size", Integer.toString(Math.min(MAX_BATCH, config.bufferRecords())));
    p.setProperty("max.queue.size", "8192");
    p.setProperty("poll.interval.ms", "100");
    p.setProperty(UNAVAILABLE_PLACEHOLDER_KEY, DEFAULT_UNAVAILABLE_PLACEHOLDER);
    if (!config.tables().isEmpty()) {
      p.setProperty("table.include.list", String.join(",", config.tables()));
    }
    switch (config.database()) {
      case POSTGRES -> postgres(config, p);
      case MYSQL -> mysql(config, p);
    }
    config.properties().forEach(p::setProperty);
    return p;
  }

  private static void postgres(CdcSourceConfig config, Properties p) {
    p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    p.setProperty("plugin.name", "pgoutput");
    p.setProperty("database.dbname", config.databaseName());
    p.setProperty("slot.name", config.slotName());
    p.setProperty("publication.name", config.publicationName());
    p.setProperty(
        "publication.autocreate.mode", config.tables().isEmpty() ? "all_tables" : "filtered");
    p.setProperty("slot.drop.on.stop", Boolean.toString(config.dropSlotOnStop()));
  }

  private static void mysql(CdcSourceConfig config, Properties p) {
    p.setProperty("connector.class", "io.debezium.connector.mysql.MySqlConnector");
    p.setProperty("database.server.id", Integer.toString(config.serverId()));
    if (config.databaseName() != null) {
      p.setProperty("database.include.list", config.databaseName());
    }
    p.setProperty("include.schema.changes", "true");
    p.setProperty("database.jdbc.driver", MariaDbCompatibleDriver.class.getName());
    // Transaction ends carry offsets at transaction boundaries, where a restart is exact.
    p.setProperty("provide.transaction.metadata", "true");
    p.setProperty("schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory");
    p.setProperty(
        "schema.history.internal.file.filename",
        config.schemaHistoryFile().toAbsolutePath().toString());
  }
}
