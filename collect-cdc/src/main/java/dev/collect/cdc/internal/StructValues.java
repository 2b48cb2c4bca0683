package dev.collect.cdc.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/** Kafka Connect structs as plain Java maps, lists and values. */
final class StructValues {
  private StructValues() {}

  static Map<String, Object> toMap(Struct struct) {
    return toMap(struct, (name, value) -> true);
  }

  /**
   * The fields of {@code struct} in schema order with their {@link #plain} values, leaving out
   * those {@code keep} refuses; null for a null struct.
   */
  static Map<String, Object> toMap(Struct struct, BiPredicate<String, Object> keep) {
    if (struct == null) {
      return null;
    }
    List<Field> fields = struct.schema().fields();
    Map<String, Object> out = new LinkedHashMap<>(fields.size() * 2);
    for (Field field : fields) {
      Object value = plain(struct.get(field));
      if (keep.test(field.name(), value)) {
        out.put(field.name(), value);
      }
    }
    return out;
  }

  static Object plain(Object value) {
    if (value instanceof Struct s) {
      return toMap(s);
    }
    if (value instanceof ByteBuffer buffer) {
      ByteBuffer copy = buffer.duplicate();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      return bytes;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(plain(o));
      }
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(plain(k), plain(v)));
      return out;
    }
    return value;
  }
}
