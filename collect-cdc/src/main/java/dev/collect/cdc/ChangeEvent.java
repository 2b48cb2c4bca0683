package dev.collect.cdc;

import dev.collect.cdc.internal.OwnedMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One change captured from a database: what happened ({@link #operation()}), to which row of which
 * table, the row before and after, the columns that changed, and where in the database's log it was
 * read. Immutable; the maps keep the table's column order.
 *
 * <p>Column values are Kafka Connect's Java values as Debezium emits them with its defaults: {@code
 * Integer}, {@code Long}, {@code String}, {@code Boolean}, {@code Double}, {@code BigDecimal},
 * {@code byte[]}, and temporal columns as numbers (days, milliseconds or microseconds since the
 * epoch; see Debezium's {@code time.precision.mode}).
 *
 * <p><b>Before images.</b> {@link #beforeImage()} says how much of the old row the record carries,
 * decided per record: {@code FULL}, {@code UNKNOWN} (only the key columns are known; {@link
 * #before()} holds just those), {@code NONE} ({@link #before()} is null) or {@code NOT_APPLICABLE}.
 * Collect never fills in columns the database did not send.
 *
 * <p><b>Unavailable values.</b> PostgreSQL does not resend an unchanged TOASTed column (large text,
 * bytea, jsonb) unless the table has {@code REPLICA IDENTITY FULL}; Debezium marks it with a
 * placeholder. Such columns are left out of {@link #after()} (and {@link #before()}), listed in
 * {@link #unavailableFields()}, and never reported as changed.
 *
 * @param operation what happened
 * @param table the table, or null for a schema change that names no single table
 * @param key the row's primary key columns, empty when the table has none or for truncates
 * @param before the row before the change, or null; see {@link #beforeImage()}
 * @param beforeImage how complete {@link #before()} is
 * @param after the row after the change, or null (deletes, truncates, schema changes)
 * @param changedFields for updates with a full before image: the columns whose values differ, with
 *     old and new values; empty otherwise (see {@link #changedFieldsKnown()})
 * @param unavailableFields columns whose value the database did not send (TOAST placeholders)
 * @param schemaChange the schema change, for {@link Operation#SCHEMA_CHANGE}, else null
 * @param source where in the log the change was read
 */
public record ChangeEvent(
    Operation operation,
    @Nullable TableId table,
    @Nullable Map<String, Object> key,
    Map<String, Object> before,
    BeforeImage beforeImage,
    Map<String, Object> after,
    Map<String, FieldChange> changedFields,
    Set<String> unavailableFields,
    @Nullable SchemaChange schemaChange,
    SourceInfo source) {

  public ChangeEvent {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(beforeImage, "beforeImage");
    Objects.requireNonNull(source, "source");
    key = key == null ? Map.of() : unmodifiable(key);
    before = before == null ? null : unmodifiable(before);
    after = after == null ? null : unmodifiable(after);
    changedFields = changedFields == null ? Map.of() : unmodifiable(changedFields);
    unavailableFields = unavailableFields == null ? Set.of() : Set.copyOf(unavailableFields);
  }

  private static <V> Map<String, V> unmodifiable(Map<String, V> map) {
    if (map instanceof OwnedMap) {
      return map; // built for this event alone and read-only: no copy needed
    }
    // Column values may be SQL NULL, which Map.copyOf rejects; keep column order too.
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  /**
   * Whether {@link #changedFields()} is complete: true for updates whose before image is {@link
   * BeforeImage#FULL}. For other updates ({@code NONE}, {@code UNKNOWN}) the record does not say
   * what the old values were.
   */
  public boolean changedFieldsKnown() {
    return operation == Operation.UPDATE && beforeImage == BeforeImage.FULL;
  }
}
