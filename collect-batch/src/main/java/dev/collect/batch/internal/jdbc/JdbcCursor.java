package dev.collect.batch.internal.jdbc;

import dev.collect.core.Position;
import java.util.LinkedHashMap;
import java.util.Map;

/** The cursor (and tie-breaker) values of a row, as typed text. */
record JdbcCursor(String table, String cursor, String tie) implements Position {
  @Override
  public Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("table", table);
    out.put("cursor", cursor.substring(2));
    if (tie != null) {
      out.put("tie", tie.substring(2));
    }
    return out;
  }

  String serialize() {
    return tie == null ? cursor : cursor + "\n" + tie;
  }

  static JdbcCursor parse(String table, String saved) {
    int nl = saved.indexOf('\n');
    return nl < 0
        ? new JdbcCursor(table, saved, null)
        : new JdbcCursor(table, saved.substring(0, nl), saved.substring(nl + 1));
  }
}
