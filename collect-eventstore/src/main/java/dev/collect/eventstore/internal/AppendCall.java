package dev.collect.eventstore.internal;

import dev.collect.eventstore.EventData;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The call of a store's append function ({@link PostgresSchema}) and its parameters. Numbers and
 * payloads are bound as Java arrays ({@code long[]}, {@code int[]}, {@code byte[][]}), which the
 * PostgreSQL driver sends in the binary array format; {@code Connection.createArrayOf} would send
 * every array as text for the server to parse (the payloads hex-encoded). A single event goes to
 * the function's one-event form with scalar parameters, which spares the server the arrays.
 */
final class AppendCall {
  private AppendCall() {}

  /** The call of the function for batches of {@code size} events. */
  static String sql(String prefix, int size) {
    return "SELECT * FROM "
        + prefix
        + (size == 1 ? "_append_one" : "_append")
        + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  }

  static void bind(
      Connection c,
      PreparedStatement call,
      String streamId,
      long expected,
      List<EventData> batch,
      boolean lookUpIds)
      throws SQLException {
    call.setString(1, streamId);
    call.setLong(2, expected);
    call.setBoolean(11, lookUpIds);
    if (batch.size() == 1) {
      bindOne(call, batch.get(0));
    } else {
      bindArrays(c, call, batch);
    }
  }

  /** The events' parameters of {@code <prefix>_append}: one array per field. */
  static void bindArrays(Connection c, PreparedStatement call, List<EventData> batch)
      throws SQLException {
    int n = batch.size();
    String[] ids = new String[n];
    String[] types = new String[n];
    int[] schemas = new int[n];
    byte[][] data = new byte[n][];
    long[] seconds = new long[n];
    int[] nanos = new int[n];
    String[] correlations = new String[n];
    String[] causations = new String[n];
    for (int i = 0; i < n; i++) {
      EventData e = batch.get(i);
      ids[i] = e.eventId();
      types[i] = e.type();
      schemas[i] = e.schemaVersion();
      data[i] = e.data();
      seconds[i] = e.occurredAt().getEpochSecond();
      nanos[i] = e.occurredAt().getNano();
      correlations[i] = e.correlationId();
      causations[i] = e.causationId();
    }
    call.setArray(3, c.createArrayOf("text", ids));
    call.setArray(4, c.createArrayOf("text", types));
    call.setObject(5, schemas);
    call.setObject(6, data);
    call.setObject(7, seconds);
    call.setObject(8, nanos);
    call.setArray(9, c.createArrayOf("text", correlations));
    call.setArray(10, c.createArrayOf("text", causations));
  }

  /** The parameters of {@code <prefix>_append_one}: the event's fields as scalars. */
  private static void bindOne(PreparedStatement call, EventData e) throws SQLException {
    call.setString(3, e.eventId());
    call.setString(4, e.type());
    call.setInt(5, e.schemaVersion());
    call.setBytes(6, e.data());
    call.setLong(7, e.occurredAt().getEpochSecond());
    call.setInt(8, e.occurredAt().getNano());
    call.setString(9, e.correlationId());
    call.setString(10, e.causationId());
  }
}
