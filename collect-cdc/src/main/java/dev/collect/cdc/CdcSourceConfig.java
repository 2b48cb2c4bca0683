package dev.collect.cdc;

import dev.collect.core.spi.Checks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The settings of a {@link CdcSource}: typed settings for what most pipelines need, and {@link
 * Builder#property(String, String)} for any other Debezium property (it wins over the typed ones).
 * Immutable; build with {@link #postgres()} or {@link #mysql()}. Every setter rejects bad values at
 * once and its Javadoc states the default. The password is never logged and not part of {@link
 * #toString()}.
 */
public final class CdcSourceConfig {

  /** The database family. MariaDB uses {@link #MYSQL}. */
  public enum Database {
    POSTGRES,
    MYSQL
  }

  /** What the envelope key is, which decides ordering with several pipeline workers. */
  public enum Ordering {
    /** Key = table: every table's events are processed in commit order. The default. */
    TABLE,
    /** Key = table and primary key: per-row order only, rows spread over workers. */
    ROW
  }

  public static final String DEFAULT_NAME = "cdc";
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final SnapshotMode DEFAULT_SNAPSHOT_MODE = SnapshotMode.INITIAL;
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(10);
  public static final int DEFAULT_BUFFER_RECORDS = 8192;
  public static final Duration DEFAULT_SLOT_LAG_INTERVAL = Duration.ofSeconds(10);
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_MYSQL_SERVER_ID = 5701;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,48}");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z0-9_]{1,63}");

  private final Database database;
  private final String name;
  private final String host;
  private final int port;
  private final String user;
  private final String password;
  private final String databaseName;
  private final List<String> tables;
  private final SnapshotMode snapshotMode;
  private final String slotName;
  private final String publicationName;
  private final boolean dropSlotOnStop;
  private final Duration heartbeatInterval;
  private final int serverId;
  private final Path schemaHistoryFile;
  private final int bufferRecords;
  private final Ordering ordering;
  private final Duration slotLagInterval;
  private final Duration startTimeout;
  private final String checkpointKey;
  private final Map<String, String> properties;

  private CdcSourceConfig(Builder b) {
    this.database = b.database;
    this.name = b.name;
    this.host = b.host;
    this.port = b.port != 0 ? b.port : b.database == Database.POSTGRES ? 5432 : 3306;
    this.user = b.user != null ? b.user : b.database == Database.POSTGRES ? "postgres" : "root";
    this.password = b.password;
    this.databaseName = b.databaseName;
    this.tables = List.copyOf(b.tables);
    this.snapshotMode = b.snapshotMode;
    this.slotName = b.slotName != null ? b.slotName : "collect_" + b.name.toLowerCase(Locale.ROOT);
    this.publicationName =
        b.publicationName != null
            ? b.publicationName
            : "collect_" + b.name.toLowerCase(Locale.ROOT);
    this.dropSlotOnStop = b.dropSlotOnStop;
    this.heartbeatInterval = b.heartbeatInterval;
    this.serverId = b.serverId;
    this.schemaHistoryFile = b.schemaHistoryFile;
    this.bufferRecords = b.bufferRecords;
    this.ordering = b.ordering;
    this.slotLagInterval = b.slotLagInterval;
    this.startTimeout = b.startTimeout;
    this.checkpointKey = b.checkpointKey != null ? b.checkpointKey : "cdc-" + b.name + "-offsets";
    this.properties = Map.copyOf(b.properties);
  }

  /** Starts a configuration for PostgreSQL (logical decoding with {@code pgoutput}). */
  public static Builder postgres() {
    return new Builder(Database.POSTGRES);
  }

  /** Starts a configuration for MySQL or MariaDB (row-based binlog). */
  public static Builder mysql() {
    return new Builder(Database.MYSQL);
  }

  public Database database() {
    return database;
  }

  public String name() {
    return name;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String user() {
    return user;
  }

  /** The password; never logged. */
  public String password() {
    return password;
  }

  public String databaseName() {
    return databaseName;
  }

  public List<String> tables() {
    return tables;
  }

  public SnapshotMode snapshotMode() {
    return snapshotMode;
  }

  public String slotName() {
    return slotName;
  }

  public String publicationName() {
    return publicationName;
  }

  public boolean dropSlotOnStop() {
    return dropSlotOnStop;
  }

  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  public int serverId() {
    return serverId;
  }

  public Path schemaHistoryFile() {
    return schemaHistoryFile;
  }

  public int bufferRecords() {
    return bufferRecords;
  }

  public Ordering ordering() {
    return ordering;
  }

  public Duration slotLagInterval() {
    return slotLagInterval;
  }

  public Duration startTimeout() {
    return startTimeout;
  }

  public String checkpointKey() {
    return checkpointKey;
  }

  /** The extra Debezium properties, applied last. */
  public Map<String, String> properties() {
    return properties;
  }

  @Override
  public String toString() {
    return "CdcSourceConfig{"
        + database
        + " "
        + name
        + " at "
        + host
        + ":"
        + port
        + "/"
        + databaseName
        + ", tables="
        + tables
        + ", snapshot="
        + snapshotMode
        + "}";
  }

  /** Builds a {@link CdcSourceConfig}; not thread-safe. */
  public static final class Builder {
    private final Database database;
    private String name = DEFAULT_NAME;
    private String host = DEFAULT_HOST;
    private int port;
    private String user;
    private String password = "";
    private String databaseName;
    private List<String> tables = List.of();
    private SnapshotMode snapshotMode = DEFAULT_SNAPSHOT_MODE;
    private String slotName;
    private String publicationName;
    private boolean dropSlotOnStop;
    private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
    private int serverId = DEFAULT_MYSQL_SERVER_ID;
    private Path schemaHistoryFile;
    private int bufferRecords = DEFAULT_BUFFER_RECORDS;
    private Ordering ordering = Ordering.TABLE;
    private Duration slotLagInterval = DEFAULT_SLOT_LAG_INTERVAL;
    private Duration startTimeout = DEFAULT_START_TIMEOUT;
    private String checkpointKey;
    private final Map<String, String> properties = new LinkedHashMap<>();

    private Builder(Database database) {
      this.database = database;
    }

    /**
     * The source's name: metrics tag, Debezium's topic prefix and engine name, and part of the
     * default slot, publication and checkpoint key; default {@value #DEFAULT_NAME}. Letters, digits
     * and underscores, up to 48.
     */
    public Builder name(String value) {
      this.name = Checks.matches("name", value, NAME, "1-48 letters, digits or underscores");
      return this;
    }

    /** Host and port; default {@code 127.0.0.1} and 5432 (PostgreSQL) or 3306 (MySQL). */
    public Builder connect(String hostName, int portNumber) {
      Checks.notBlank("host", hostName);
      this.host = hostName;
      this.port = Checks.inRange("port", portNumber, 1, 65535);
      return this;
    }

    /**
     * User and password; default {@code postgres} or {@code root} with an empty password. The user
     * needs replication rights (PostgreSQL) or REPLICATION SLAVE/CLIENT and SELECT (MySQL).
     */
    public Builder credentials(String userName, String secret) {
      Checks.notBlank("user", userName);
      this.user = userName;
      this.password = Objects.requireNonNull(secret, "password");
      return this;
    }

    /**
     * The database: required for PostgreSQL ({@code database.dbname}); for MySQL it limits capture
     * to that database ({@code database.include.list}). No default.
     */
    public Builder databaseName(String value) {
      Checks.notBlank("databaseName", value);
      this.databaseName = value;
      return this;
    }

    /**
     * Tables to capture ({@code table.include.list}): {@code schema.table} for PostgreSQL, {@code
     * database.table} for MySQL, regular expressions allowed; default all tables.
     */
    public Builder tables(String... names) {
      for (String n : names) {
        if (n == null || n.isBlank() || n.contains(",")) {
          throw new IllegalArgumentException(
              "a table name must be non-blank and contain no comma, but was '" + n + "'");
        }
      }
      this.tables = List.of(names);
      return this;
    }

    /** When existing rows are read; default {@link SnapshotMode#INITIAL}. */
    public Builder snapshotMode(SnapshotMode value) {
      this.snapshotMode = Objects.requireNonNull(value, "snapshotMode");
      return this;
    }

    /**
     * PostgreSQL replication slot; default {@code collect_<name>}. One slot per running source: two
     * sources on one slot steal each other's changes.
     */
    public Builder slotName(String value) {
      this.slotName = identifier("slotName", value);
      return this;
    }

    /**
     * PostgreSQL publication, created for the included tables if absent; default {@code
     * collect_<name>}.
     */
    public Builder publicationName(String value) {
      this.publicationName = identifier("publicationName", value);
      return this;
    }

    /**
     * Drops the PostgreSQL replication slot when the source closes; default false. Set it only for
     * a collector that is being retired: changes made after the slot is dropped are not captured.
     */
    public Builder dropSlotOnStop(boolean value) {
      this.dropSlotOnStop = value;
      return this;
    }

    /**
     * How often Debezium emits heartbeats, which let the source commit (and the server release WAL)
     * when the captured tables are idle; {@link Duration#ZERO} turns them off; default 10 s.
     */
    public Builder heartbeatInterval(Duration value) {
      Checks.notNegative("heartbeatInterval", value);
      this.heartbeatInterval = value;
      return this;
    }

    /**
     * MySQL/MariaDB replica server id, unique among the server's replicas; default {@value
     * #DEFAULT_MYSQL_SERVER_ID}.
     */
    public Builder serverId(int value) {
      Checks.positive("serverId", value);
      this.serverId = value;
      return this;
    }

    /**
     * MySQL/MariaDB: the file where Debezium keeps the history of table schemas, needed to decode
     * the binlog after a restart. Required for MySQL; keep it beside the checkpoints.
     */
    public Builder schemaHistoryFile(Path value) {
      this.schemaHistoryFile = Objects.requireNonNull(value, "schemaHistoryFile");
      return this;
    }

    /**
     * Change events the engine may capture ahead of the pipeline; when full, the engine waits
     * (backpressure); default {@value #DEFAULT_BUFFER_RECORDS}. Debezium's {@code max.batch.size}
     * (2048) is lowered to it when smaller, so that one batch never passes it.
     */
    public Builder bufferRecords(int value) {
      Checks.positive("bufferRecords", value);
      this.bufferRecords = value;
      return this;
    }

    /** The envelope key; default {@link Ordering#TABLE} (per-table commit order). */
    public Builder ordering(Ordering value) {
      this.ordering = Objects.requireNonNull(value, "ordering");
      return this;
    }

    /** How often the PostgreSQL slot lag gauge is refreshed; default 10 s. */
    public Builder slotLagInterval(Duration value) {
      Checks.positive("slotLagInterval", value);
      this.slotLagInterval = value;
      return this;
    }

    /** How long {@code open} waits for the connector to start; default 60 s. */
    public Builder startTimeout(Duration value) {
      Checks.positive("startTimeout", value);
      this.startTimeout = value;
      return this;
    }

    /**
     * The key of the Debezium offsets in the pipeline's checkpoint store; default {@code
     * cdc-<name>-offsets}.
     */
    public Builder checkpointKey(String value) {
      this.checkpointKey =
          Checks.length("checkpointKey", Checks.notBlank("checkpointKey", value), 1, 200);
      return this;
    }

    /**
     * Any Debezium connector or engine property, e.g. {@code decimal.handling.mode=string}; applied
     * after the typed settings, so it overrides them. Offset storage is Collect's and cannot be
     * replaced.
     */
    public Builder property(String key, String value) {
      Checks.notBlank("property key", key);
      if (key.startsWith("offset.storage")) {
        throw new IllegalArgumentException(
            "'" + key + "' is managed by collect-cdc: offsets live in the pipeline's checkpoints");
      }
      properties.put(key, Objects.requireNonNull(value, "value of " + key));
      return this;
    }

    /** The configuration. */
    public CdcSourceConfig build() {
      if (database == Database.POSTGRES && databaseName == null) {
        throw new IllegalArgumentException("databaseName is required for PostgreSQL");
      }
      if (database == Database.MYSQL && schemaHistoryFile == null) {
        throw new IllegalArgumentException(
            "schemaHistoryFile is required for MySQL/MariaDB: Debezium needs the table schemas"
                + " history to read the binlog after a restart");
      }
      return new CdcSourceConfig(this);
    }

    private static String identifier(String what, String value) {
      return Checks.matches(
          what, value, IDENTIFIER, "1-63 lowercase letters, digits or underscores");
    }
  }
}
