package dev.collect.batch;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Derives a Hive partition value (e.g. a date) from a record as a map, for a lake sink. */
@FunctionalInterface
public interface Partitioner {
  /** The partition value, or null for {@code __HIVE_DEFAULT_PARTITION__}. */
  @Nullable String partitionOf(Map<String, Object> record);

  /**
   * The UTC date ({@code yyyy-MM-dd}) of a timestamp, date or ISO string field: the usual {@code
   * event_date} partition.
   */
  static Partitioner dateOf(String field) {
    return record -> dev.collect.batch.internal.lake.Values.dateText(record.get(field));
  }

  /** The field's value as text. */
  static Partitioner valueOf(String field) {
    return record -> {
      Object value = record.get(field);
      return value == null ? null : value.toString();
    };
  }
}
