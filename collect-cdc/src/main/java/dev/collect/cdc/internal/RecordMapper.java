package dev.collect.cdc.internal;

import dev.collect.cdc.BeforeImage;
import dev.collect.cdc.ChangeEvent;
import dev.collect.cdc.FieldChange;
import dev.collect.cdc.Operation;
import dev.collect.cdc.SchemaChange;
import dev.collect.cdc.SourceInfo;
import dev.collect.cdc.TableId;
import io.debezium.data.Envelope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns Debezium's Kafka Connect records into {@link ChangeEvent}s. Called from the engine's thread
 * only: it remembers each table's columns to report PostgreSQL schema changes.
 */
final class RecordMapper {

  /** What a record is. */
  enum Kind {
    DATA,
    SCHEMA,
    HEARTBEAT,
    TRANSACTION
  }

  private final String heartbeatTopicPrefix;
  private final String placeholder;
  private final byte[] placeholderBytes;
  private final boolean postgres;
  private final Map<TableId, Schema> lastRowSchema = new HashMap<>();
  private final Map<TableId, List<SchemaChange.Column>> lastColumns = new HashMap<>();
  // Columns of the event being mapped whose values the database did not send; null for none.
  private Set<String> unavailable;
  // The previous record's table, transaction id and commit time, reused while they repeat.
  private TableId lastTable;
  private Object lastTxId;
  private String lastTxIdText;
  private Instant lastCommitTime;

  RecordMapper(boolean postgres, String placeholder) {
    this.postgres = postgres;
    this.heartbeatTopicPrefix = DebeziumProperties.HEARTBEAT_TOPIC_PREFIX;
    this.placeholder = placeholder;
    this.placeholderBytes = placeholder.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  Kind kind(SourceRecord record) {
    if (record.topic() != null && record.topic().startsWith(heartbeatTopicPrefix)) {
      return Kind.HEARTBEAT;
    }
    if (record.valueSchema() != null
        && record.valueSchema().name() != null
        && record.valueSchema().name().endsWith("TransactionMetadataValue")) {
      return Kind.TRANSACTION;
    }
    if (record.valueSchema() != null
        && record.valueSchema().name() != null
        && Envelope.isEnvelopeSchema(record.valueSchema())) {
      return Kind.DATA;
    }
    if (record.value() instanceof Struct s && s.schema().field("ddl") != null) {
      return Kind.SCHEMA;
    }
    throw new IllegalArgumentException(
        "unexpected Debezium record on topic '"
            + record.topic()
            + "' with value schema "
            + (record.valueSchema() == null ? "none" : record.valueSchema().name()));
  }

  /** The events of a data-change record: a derived schema change (PostgreSQL) and the change. */
  void mapData(SourceRecord record, List<ChangeEvent> out) {
    Struct value = (Struct) record.value();
    Struct sourceStruct = value.getStruct(Envelope.FieldName.SOURCE);
    SourceInfo source = source(sourceStruct, record);
    if (source.transactionId() == null
        && value.schema().field("transaction") != null
        && value.getStruct("transaction") != null) {
      // MySQL/MariaDB: Debezium's transaction metadata names the transaction.
      source =
          new SourceInfo(
              source.connector(),
              source.name(),
              source.lsn(),
              source.binlogFile(),
              source.binlogPosition(),
              source.gtid(),
              value.getStruct("transaction").getString("id"),
              source.commitTime(),
              source.snapshot());
    }
    TableId table = table(sourceStruct);
    Operation op = operation(Envelope.operationFor(record));
    if (postgres && op != Operation.TRUNCATE) {
      detectColumnChange(table, value.schema(), source, out);
    }
    Map<String, Object> key =
        record.key() instanceof Struct k ? StructValues.toMap(k) : new LinkedHashMap<>();
    unavailable = null;
    Map<String, Object> before = row(value.getStruct(Envelope.FieldName.BEFORE));
    Map<String, Object> after = row(value.getStruct(Envelope.FieldName.AFTER));
    BeforeImage image =
        switch (op) {
          case UPDATE, DELETE ->
              BeforeImages.classify(
                  value.schema().field(Envelope.FieldName.BEFORE).schema(), before, key.keySet());
          default -> BeforeImage.NOT_APPLICABLE;
        };
    Map<String, FieldChange> changed = Map.of();
    if (op == Operation.UPDATE && image == BeforeImage.FULL && after != null) {
      changed = diff(before, after, unavailable == null ? Set.of() : unavailable);
    }
    out.add(
        new ChangeEvent(
            op,
            table,
            OwnedMap.own(key),
            OwnedMap.own(before),
            image,
            OwnedMap.own(after),
            changed.isEmpty() ? changed : OwnedMap.own(changed),
            unavailable == null ? Set.of() : unavailable,
            null,
            source));
  }

  ChangeEvent mapSchema(SourceRecord record) {
    Struct value = (Struct) record.value();
    Struct sourceStruct = value.schema().field("source") == null ? null : value.getStruct("source");
    SourceInfo source = source(sourceStruct, record);
    String ddl = value.getString("ddl");
    TableId table = null;
    List<SchemaChange.Column> columns = List.of();
    List<SchemaChange.Column> previous = List.of();
    if (value.schema().field("tableChanges") != null) {
      List<Object> changes = value.getArray("tableChanges");
      if (changes != null && !changes.isEmpty() && changes.get(0) instanceof Struct change) {
        table = tableFromId(change.getString("id"), value);
        Struct tableStruct = change.getStruct("table");
        if (tableStruct != null) {
          columns = columnsOfTable(tableStruct);
        }
        previous = lastColumns.getOrDefault(table, List.of());
        if ("DROP".equals(change.getString("type"))) {
          lastColumns.remove(table);
          columns = List.of();
        } else {
          lastColumns.put(table, columns);
        }
      }
    }
    return schemaChange(table, new SchemaChange(ddl, previous, columns), source);
  }

  /** A schema change event: no key, no row images, no changed fields. */
  private static ChangeEvent schemaChange(TableId table, SchemaChange change, SourceInfo source) {
    return new ChangeEvent(
        Operation.SCHEMA_CHANGE,
        table,
        Map.of(),
        null,
        BeforeImage.NOT_APPLICABLE,
        null,
        Map.of(),
        Set.of(),
        change,
        source);
  }

  private void detectColumnChange(
      TableId table, Schema envelopeSchema, SourceInfo source, List<ChangeEvent> out) {
    Field rowField = envelopeSchema.field(Envelope.FieldName.AFTER);
    if (rowField == null) {
      return;
    }
    Schema rowSchema = rowField.schema();
    Schema last = lastRowSchema.get(table);
    if (last == rowSchema || (last != null && last.equals(rowSchema))) {
      return;
    }
    lastRowSchema.put(table, rowSchema);
    List<SchemaChange.Column> columns = new ArrayList<>();
    for (Field f : rowSchema.fields()) {
      Schema s = f.schema();
      String type = s.name() == null ? s.type().name() : s.type().name() + " " + s.name();
      columns.add(new SchemaChange.Column(f.name(), type, s.isOptional()));
    }
    List<SchemaChange.Column> previous = lastColumns.put(table, List.copyOf(columns));
    if (previous != null && previous.equals(columns)) {
      return;
    }
    SourceInfo derived =
        new SourceInfo(
            source.connector(),
            source.name(),
            source.lsn(),
            null,
            null,
            null,
            source.transactionId(),
            source.commitTime(),
            source.snapshot());
    out.add(
        schemaChange(
            table,
            new SchemaChange(null, previous == null ? List.of() : previous, columns),
            derived));
  }

  private static List<SchemaChange.Column> columnsOfTable(Struct tableStruct) {
    List<SchemaChange.Column> out = new ArrayList<>();
    List<Object> cols = tableStruct.getArray("columns");
    if (cols != null) {
      for (Object o : cols) {
        Struct c = (Struct) o;
        Boolean optional = c.getBoolean("optional");
        out.add(
            new SchemaChange.Column(
                c.getString("name"), c.getString("typeName"), optional == null || optional));
      }
    }
    return List.copyOf(out);
  }

  private static TableId tableFromId(String id, Struct value) {
    // Debezium writes ids as "db"."table" (MySQL) or "db"."schema"."table".
    List<String> parts = new ArrayList<>();
    if (id != null) {
      for (String p : id.split("\\.")) {
        parts.add(p.replace("\"", ""));
      }
    }
    if (parts.size() >= 3) {
      return new TableId(parts.get(0), parts.get(1), parts.get(2));
    }
    if (parts.size() == 2) {
      return new TableId(parts.get(0), null, parts.get(1));
    }
    String db =
        value.schema().field("databaseName") == null ? null : value.getString("databaseName");
    return new TableId(db, null, id == null ? "?" : id);
  }

  /**
   * A row image as a map in column order, without the placeholders Debezium puts where the database
   * did not send a value; those columns are added to {@link #unavailable}.
   */
  private Map<String, Object> row(Struct struct) {
    return StructValues.toMap(struct, this::available);
  }

  /** False for a placeholder, whose column it adds to {@link #unavailable}. */
  private boolean available(String column, Object value) {
    if (!isPlaceholder(value)) {
      return true;
    }
    if (unavailable == null) {
      unavailable = new LinkedHashSet<>();
    }
    unavailable.add(column);
    return false;
  }

  private boolean isPlaceholder(Object value) {
    if (value instanceof String s) {
      return s.equals(placeholder);
    }
    if (value instanceof byte[] b) {
      return Arrays.equals(b, placeholderBytes);
    }
    if (value instanceof List<?> list) {
      return list.size() == 1 && isPlaceholder(list.get(0));
    }
    return false;
  }

  private static Map<String, FieldChange> diff(
      Map<String, Object> before, Map<String, Object> after, Set<String> unavailable) {
    Map<String, FieldChange> changed = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : after.entrySet()) {
      String column = e.getKey();
      if (unavailable.contains(column)) {
        continue;
      }
      Object old = before.get(column);
      if (!Objects.deepEquals(old, e.getValue())) {
        changed.put(column, new FieldChange(old, e.getValue()));
      }
    }
    return changed;
  }

  private static Operation operation(Envelope.Operation op) {
    if (op == null) {
      throw new IllegalArgumentException("a change event without an operation");
    }
    return switch (op) {
      case CREATE -> Operation.CREATE;
      case UPDATE -> Operation.UPDATE;
      case DELETE -> Operation.DELETE;
      case READ -> Operation.READ;
      case TRUNCATE -> Operation.TRUNCATE;
      case MESSAGE ->
          throw new IllegalArgumentException("logical decoding messages are not change events");
    };
  }

  private TableId table(Struct source) {
    String db = optionalString(source, "db");
    String schema = optionalString(source, "schema");
    String table = optionalString(source, "table");
    TableId last = lastTable;
    if (last != null
        && Objects.equals(last.database(), db)
        && Objects.equals(last.schema(), schema)
        && last.table().equals(table)) {
      return last; // a run of rows from one table: one id, and cheap lookups by it downstream
    }
    lastTable = new TableId(db, schema, table == null ? "?" : table);
    return lastTable;
  }

  private SourceInfo source(Struct s, SourceRecord record) {
    if (s == null) {
      return new SourceInfo(
          postgres ? "postgresql" : "mysql", null, null, null, null, null, null, null, false);
    }
    String snapshot = optionalString(s, "snapshot");
    Long tsMs = optionalLong(s, "ts_ms");
    Object txId = s.schema().field("txId") == null ? null : s.get("txId");
    String gtid = optionalString(s, "gtid");
    if (txId != null && !txId.equals(lastTxId)) {
      // A transaction's rows share its id and usually its commit time: convert them once.
      lastTxId = txId;
      lastTxIdText = txId.toString();
    }
    if (tsMs != null && (lastCommitTime == null || lastCommitTime.toEpochMilli() != tsMs)) {
      lastCommitTime = Instant.ofEpochMilli(tsMs);
    }
    return new SourceInfo(
        optionalString(s, "connector"),
        optionalString(s, "name"),
        optionalLong(s, "lsn"),
        optionalString(s, "file"),
        optionalLong(s, "pos"),
        gtid,
        txId != null ? lastTxIdText : gtid,
        tsMs == null ? null : lastCommitTime,
        snapshot != null && !"false".equals(snapshot));
  }

  /** Whether a snapshot is still being read after this event ({@code snapshot} not last/false). */
  static boolean snapshotContinues(SourceRecord record) {
    if (!(record.value() instanceof Struct value)
        || value.schema().field(Envelope.FieldName.SOURCE) == null) {
      return false;
    }
    String snapshot = optionalString(value.getStruct(Envelope.FieldName.SOURCE), "snapshot");
    return snapshot != null && !"false".equals(snapshot) && !"last".equals(snapshot);
  }

  private static String optionalString(Struct s, String field) {
    if (s == null || s.schema().field(field) == null) {
      return null;
    }
    Object v = s.get(field);
    return v == null ? null : v.toString();
  }

  private static Long optionalLong(Struct s, String field) {
    if (s == null || s.schema().field(field) == null) {
      return null;
    }
    Object v = s.get(field);
    return v instanceof Number n ? n.longValue() : null;
  }
}
