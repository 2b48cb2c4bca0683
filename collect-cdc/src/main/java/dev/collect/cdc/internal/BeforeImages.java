package dev.collect.cdc.internal;

import dev.collect.cdc.BeforeImage;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;

/**
 * Decides how complete an update's or delete's before image is from the record alone, never from
 * today's catalog (a backlog may have been written under another replica identity). Debezium does
 * not say which old columns the database sent: for a PostgreSQL key-only ({@code 'K'}) old tuple,
 * or a MySQL minimal row image, it fills every other column with null, or with the column's default
 * (an empty string, zero, false) where the column is NOT NULL. So:
 *
 * <ul>
 *   <li>no old row: {@link BeforeImage#NONE};
 *   <li>a column outside the key holding anything but null or such a default, or no column outside
 *       the key at all: the database sent the whole old row, {@link BeforeImage#FULL};
 *   <li>otherwise the record cannot tell a key-only old row from a full one whose other columns
 *       happen to be null or defaults: {@link BeforeImage#UNKNOWN}, and only the key columns are
 *       kept.
 * </ul>
 *
 * A PostgreSQL {@code REPLICA IDENTITY USING INDEX} whose index spans columns outside the primary
 * key sends those columns too, which reads as {@code FULL}.
 */
final class BeforeImages {
  private BeforeImages() {}

  /**
   * Classifies {@code before} (the row as a map, placeholders already removed) and, when it is
   * unknown, removes from it every column outside the key.
   */
  static BeforeImage classify(Schema rowSchema, Map<String, Object> before, Set<String> key) {
    if (before == null) {
      return BeforeImage.NONE;
    }
    boolean outsideKey = false;
    for (Map.Entry<String, Object> e : before.entrySet()) {
      if (key.contains(e.getKey())) {
        continue;
      }
      outsideKey = true;
      Field field = rowSchema == null ? null : rowSchema.field(e.getKey());
      if (!fillIn(e.getValue(), field)) {
        return BeforeImage.FULL;
      }
    }
    if (!outsideKey) {
      return BeforeImage.FULL;
    }
    before.keySet().retainAll(key);
    return BeforeImage.UNKNOWN;
  }

  /** Whether Debezium could have put {@code value} in for a column the database did not send. */
  private static boolean fillIn(Object value, Field field) {
    if (value == null) {
      return true;
    }
    if (field == null || field.schema().isOptional()) {
      return false;
    }
    if (Objects.deepEquals(value, StructValues.plain(field.schema().defaultValue()))) {
      return true;
    }
    if (value instanceof String s) {
      return s.isEmpty();
    }
    if (value instanceof Boolean b) {
      return !b;
    }
    if (value instanceof BigDecimal d) {
      return d.signum() == 0;
    }
    if (value instanceof Number n) {
      return n.doubleValue() == 0;
    }
    return value instanceof byte[] bytes && bytes.length == 0;
  }
}
