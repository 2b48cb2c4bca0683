package dev.collect.eventstore.internal;

import dev.collect.core.RetriableCollectException;
import dev.collect.eventstore.AppendResult;
import dev.collect.eventstore.ConcurrencyException;
import dev.collect.eventstore.EventData;
import dev.collect.eventstore.EventStore;
import dev.collect.eventstore.EventStoreException;
import dev.collect.eventstore.ExpectedVersion;
import dev.collect.eventstore.PostgresEventStoreConfig;
import dev.collect.eventstore.RecordedEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The PostgreSQL backend. Tables {@code <prefix>_events} (one row per event; primary key the global
 * position; unique {@code (stream_id, stream_version)} and {@code event_id}) and {@code
 * <prefix>_head} (one row: the next position and the newest recorded time).
 *
 * <p>The gap problem: with a sequence, transaction A may take position 7 and transaction B position
 * 8, and B commit first; a reader would then see 8 before 7 and, having moved past it, miss 7 for
 * good. Here every appending transaction first locks the single head row ({@code SELECT ... FOR
 * UPDATE}) and holds that lock until it commits, taking its positions from the row. So appends
 * commit one at a time in position order, positions have no gaps (a rolled-back append never bumped
 * the row), and every snapshot a reader takes holds a prefix of the log. The cost is that appends
 * are serialised across all processes: one commit at a time, each with its own WAL flush. The
 * expected-version check runs under that lock, and the unique constraint on {@code (stream_id,
 * stream_version)} enforces it in the database as well.
 */
public final class PostgresEventStore implements EventStore, NotifyingStore {
  private static final String COLUMNS =
      "position, stream_id, stream_version, event_id, type, schema_version, data,"
          + " occurred_seconds, occurred_nanos, recorded_micros, correlation_id, causation_id";

  private final PostgresEventStoreConfig config;
  private final String events;
  private final String head;

  private PostgresEventStore(PostgresEventStoreConfig config) {
    this.config = config;
    this.events = config.tablePrefix() + "_events";
    this.head = config.tablePrefix() + "_head";
  }

  public static PostgresEventStore open(PostgresEventStoreConfig config) {
    PostgresEventStore store = new PostgresEventStore(config);
    store.createTables();
    return store;
  }

  private void createTables() {
    try (Connection c = config.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS "
              + events
              + " (position BIGINT PRIMARY KEY, stream_id TEXT NOT NULL,"
              + " stream_version BIGINT NOT NULL, event_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL,"
              + " schema_version INT NOT NULL, data BYTEA NOT NULL, occurred_seconds BIGINT NOT NULL,"
              + " occurred_nanos INT NOT NULL, recorded_micros BIGINT NOT NULL,"
              + " correlation_id TEXT, causation_id TEXT, UNIQUE (stream_id, stream_version))");
      s.execute(
          "CREATE INDEX IF NOT EXISTS " + events + "_recorded ON " + events + " (recorded_micros)");
      s.execute(
          "CREATE TABLE IF NOT EXISTS "
              + head
              + " (id INT PRIMARY KEY CHECK (id = 1), next_position BIGINT NOT NULL,"
              + " recorded_micros BIGINT NOT NULL)");
      s.execute("INSERT INTO " + head + " VALUES (1, 0, 0) ON CONFLICT DO NOTHING");
    } catch (SQLException e) {
      if (!"23505".equals(e.getSQLState())) { // another process created them at the same time
        throw failure("cannot create the event tables " + events + " and " + head, e);
      }
    }
  }

  @Override
  public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> batch) {
    Appends.validate(streamId, batch, config.maxEventBytes());
    try (Connection c = config.dataSource().getConnection()) {
      c.setAutoCommit(false);
      try {
        AppendResult result = appendInTransaction(c, streamId, expected, batch);
        if (result.duplicate()) {
          c.rollback();
        } else {
          c.commit();
        }
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      if ("23505".equals(e.getSQLState())) {
        throw new ConcurrencyException(
            "append to stream '" + streamId + "' conflicts with a stored version or event id");
      }
      throw failure("append to stream '" + streamId + "' failed", e);
    }
  }

  private AppendResult appendInTransaction(
      Connection c, String streamId, ExpectedVersion expected, List<EventData> batch)
      throws SQLException {
    long next;
    long lastMicros;
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT next_position, recorded_micros,"
                    + " (extract(epoch FROM clock_timestamp()) * 1000000)::bigint FROM "
                    + head
                    + " WHERE id = 1 FOR UPDATE")) {
      rs.next();
      next = rs.getLong(1);
      lastMicros = Math.max(rs.getLong(2), rs.getLong(3));
    }
    Map<String, Appends.StoredId> stored = storedIds(c, batch);
    AppendResult duplicate = Appends.duplicateOf(streamId, batch, stored::get);
    if (duplicate != null) {
      return duplicate;
    }
    long current = streamVersion(c, streamId);
    expected.check(streamId, current);
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO " + events + " (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
      for (int i = 0; i < batch.size(); i++) {
        EventData e = batch.get(i);
        insert.setLong(1, next + i);
        insert.setString(2, streamId);
        insert.setLong(3, current + 1 + i);
        insert.setString(4, e.eventId());
        insert.setString(5, e.type());
        insert.setInt(6, e.schemaVersion());
        insert.setBytes(7, e.data());
        insert.setLong(8, e.occurredAt().getEpochSecond());
        insert.setInt(9, e.occurredAt().getNano());
        insert.setLong(10, lastMicros);
        insert.setString(11, e.correlationId());
        insert.setString(12, e.causationId());
        insert.addBatch();
      }
      insert.executeBatch();
    }
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE " + head + " SET next_position = ?, recorded_micros = ? WHERE id = 1")) {
      update.setLong(1, next + batch.size());
      update.setLong(2, lastMicros);
      update.executeUpdate();
    }
    return new AppendResult(streamId, current + 1, current + batch.size(), next, false);
  }

  private Map<String, Appends.StoredId> storedIds(Connection c, List<EventData> batch)
      throws SQLException {
    Map<String, Appends.StoredId> found = new HashMap<>();
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT event_id, stream_id, stream_version, position FROM "
                + events
                + " WHERE event_id = ANY (?)")) {
      q.setArray(
          1,
          c.createArrayOf("text", batch.stream().map(EventData::eventId).toArray(Object[]::new)));
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          found.put(
              rs.getString(1), new Appends.StoredId(rs.getString(2), rs.getLong(3), rs.getLong(4)));
        }
      }
    }
    return found;
  }

  private long streamVersion(Connection c, String streamId) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT coalesce(max(stream_version), -1) FROM " + events + " WHERE stream_id = ?")) {
      q.setString(1, streamId);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Override
  public List<RecordedEvent> readStream(String streamId, long fromVersion, int maxCount) {
    return query(
        "SELECT "
            + COLUMNS
            + " FROM "
            + events
            + " WHERE stream_id = ? AND stream_version >= ? ORDER BY stream_version LIMIT ?",
        streamId,
        fromVersion,
        maxCount);
  }

  @Override
  public List<RecordedEvent> readStreamBackwards(String streamId, long fromVersion, int maxCount) {
    return query(
        "SELECT "
            + COLUMNS
            + " FROM "
            + events
            + " WHERE stream_id = ? AND stream_version <= ? ORDER BY stream_version DESC LIMIT ?",
        streamId,
        fromVersion,
        maxCount);
  }

  @Override
  public long streamVersion(String streamId) {
    try (Connection c = config.dataSource().getConnection()) {
      return streamVersion(c, streamId);
    } catch (SQLException e) {
      throw failure("cannot read the version of stream '" + streamId + "'", e);
    }
  }

  @Override
  public List<RecordedEvent> readAll(long fromPosition, int maxCount) {
    return query(
        "SELECT " + COLUMNS + " FROM " + events + " WHERE position >= ? ORDER BY position LIMIT ?",
        fromPosition,
        maxCount);
  }

  @Override
  public long headPosition() {
    return single("SELECT next_position FROM " + head + " WHERE id = 1");
  }

  @Override
  public long positionAt(Instant time) {
    return single(
        "SELECT coalesce((SELECT min(position) FROM "
            + events
            + " WHERE recorded_micros >= ?),"
            + " (SELECT next_position FROM "
            + head
            + " WHERE id = 1))",
        Appends.toMicros(time));
  }

  @Override
  public void awaitAppend(long position, Duration timeout) throws InterruptedException {
    Thread.sleep(Math.min(timeout.toMillis(), config.pollInterval().toMillis()));
  }

  @Override
  public void close() {}

  private long single(String sql, Object... args) {
    try (Connection c = config.dataSource().getConnection();
        PreparedStatement q = c.prepareStatement(sql)) {
      bind(q, args);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw failure("cannot read the event log", e);
    }
  }

  private List<RecordedEvent> query(String sql, Object... args) {
    try (Connection c = config.dataSource().getConnection();
        PreparedStatement q = c.prepareStatement(sql)) {
      bind(q, args);
      List<RecordedEvent> out = new ArrayList<>();
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          out.add(
              new RecordedEvent(
                  rs.getString(2),
                  rs.getLong(3),
                  rs.getLong(1),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getInt(6),
                  rs.getBytes(7),
                  Instant.ofEpochSecond(rs.getLong(8), rs.getInt(9)),
                  Appends.ofMicros(rs.getLong(10)),
                  rs.getString(11),
                  rs.getString(12),
                  false));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("cannot read the event log", e);
    }
  }

  private static void bind(PreparedStatement q, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      q.setObject(i + 1, args[i]);
    }
  }

  private static EventStoreException failure(String message, SQLException e) {
    String state = e.getSQLState();
    if (state != null
        && (state.startsWith("08") || state.startsWith("40") || state.equals("57P01"))) {
      throw new RetriableCollectException(message + " (SQLState " + state + "), retry", e);
    }
    return new EventStoreException(message + " (SQLState " + state + ")", e);
  }
}
