package dev.collect.eventstore.internal;

import dev.collect.core.RetriableCollectException;
import dev.collect.core.spi.Retrier;
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
 * The PostgreSQL backend: the table {@code <prefix>_events} (one row per event; primary key the
 * global position; unique {@code (stream_id, stream_version)} and {@code event_id}), two sequences
 * and an append function ({@link PostgresSchema}).
 *
 * <p><b>Appends run in parallel.</b> An append is one statement, {@code SELECT * FROM
 * <prefix>_append(...)} with the events as arrays (one plan whatever the batch size), in its own
 * transaction. It locks only its stream (an advisory lock on a hash of the stream id, held until
 * commit): the id lookup and the expected-version check are exact, and {@code UNIQUE (stream_id,
 * stream_version)} enforces them again. Appends to other streams, from any thread or process,
 * insert, update indexes and flush the WAL at the same time, so PostgreSQL's group commit shares
 * one flush between them.
 *
 * <p><b>A global order readers can trust without a global lock.</b> Positions come from a sequence,
 * so transaction A may take position 7 and B position 8, and B commit first: a reader that moved
 * past 8 would never see 7. Each row therefore stores its transaction id ({@code
 * pg_current_xact_id()}). An append takes its transaction id, its positions and its recorded time
 * together under a second advisory lock held for those calls only, not until commit (see {@link
 * PostgresSchema}), so transaction ids are in position order. The <em>settled</em> position is that
 * of the last row whose transaction id is below {@code pg_snapshot_xmin(pg_current_snapshot())},
 * the oldest transaction still running: every append that took a lower position has ended, so
 * nothing can appear below it any more. A global read ({@link #readAll}, {@link #headPosition},
 * {@link #positionAt}, subscriptions) trusts the log up to the settled position and, after it, the
 * committed rows that follow without a missing position: a position that is there is committed, so
 * once every position up to one is there, nothing can appear below it either. At the first missing
 * position it stops and waits for the horizon to pass it (the append holding it may still commit,
 * or it is a gap). So a reader waits for an older append still in flight instead of skipping it,
 * while an unrelated transaction (a long batch job, a session idle in transaction, autoanalyze,
 * another store's {@code NOTIFY}) holds readers back only past a gap. Each global read is one
 * statement, so all of this is judged in one snapshot. {@code recordedAt} never decreases along the
 * log. Stream reads and {@link #streamVersion} see every committed event at once.
 *
 * <p>Positions increase along the log and are consecutive within an append; a failure after the
 * positions were taken (the database crashing, a cancelled statement, the same event id committed
 * by another stream at the same moment) leaves them unused, a gap readers pass over. Subscriptions
 * are woken by {@code LISTEN/NOTIFY} ({@link PostgresWakeups}) and poll every {@code pollInterval}
 * as a fallback.
 */
public final class PostgresEventStore implements EventStore, NotifyingStore {
  private static final String COLUMNS =
      "position, stream_id, stream_version, event_id, type, schema_version, data,"
          + " occurred_seconds, occurred_nanos, recorded_micros, correlation_id, causation_id";

  /** Rows every transaction below the horizon wrote; all of them have ended. */
  private static final String VISIBLE = "tx_id < pg_snapshot_xmin(pg_current_snapshot())";

  private static final int RETRIES_ON_UNIQUE_VIOLATION = 3;
  private static final String UNIQUE_VIOLATION = "23505";

  /**
   * A unique violation means one of the event ids is stored (appends to one stream are serialised,
   * so versions cannot collide): the next attempt looks the ids up first and says whether this
   * append is a duplicate or a conflict. The failed attempt's positions stay unused, a gap.
   */
  private static final Retrier UNIQUE_VIOLATION_RETRIES =
      Retrier.builder()
          .maxAttempts(RETRIES_ON_UNIQUE_VIOLATION)
          .backoff(Duration.ofMillis(1), 1.0, 0.0, Duration.ofMillis(1))
          .retryOn(e -> e instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState()))
          .build();

  private final PostgresEventStoreConfig config;
  private final PostgresSchema schema;
  private final String events;
  // The settled position: the last row whose transaction is below the horizon, or -1.
  private final String settled;
  private final String appendCall;
  private final String appendOneCall;
  private final PostgresWakeups wakeups;
  private final ThreadLocal<long[]> generationAtRead = ThreadLocal.withInitial(() -> new long[1]);

  private PostgresEventStore(PostgresEventStoreConfig config) {
    this.config = config;
    this.schema = new PostgresSchema(config.tablePrefix());
    this.events = schema.events();
    this.settled =
        "SELECT coalesce((SELECT position FROM "
            + events
            + " WHERE "
            + VISIBLE
            + " ORDER BY position DESC LIMIT 1), -1) AS settled";
    this.appendCall = AppendCall.sql(config.tablePrefix(), 2);
    this.appendOneCall = AppendCall.sql(config.tablePrefix(), 1);
    this.wakeups = new PostgresWakeups(config.dataSource(), schema.channel());
  }

  public static PostgresEventStore open(PostgresEventStoreConfig config) {
    try (Connection c = config.dataSource().getConnection()) {
      new PostgresSchema(config.tablePrefix()).createOrMigrate(c);
    } catch (SQLException e) {
      throw failure("cannot create or migrate the event tables of " + config.tablePrefix(), e);
    }
    return new PostgresEventStore(config);
  }

  @Override
  public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> batch) {
    Appends.validate(streamId, batch, config.maxEventBytes());
    AppendResult result;
    try {
      result =
          UNIQUE_VIOLATION_RETRIES.call(
              attempt -> {
                try (Connection c = config.dataSource().getConnection()) {
                  return appendOnce(c, streamId, expected, batch, attempt > 1);
                }
              });
    } catch (SQLException e) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw new ConcurrencyException(
            "append to stream '" + streamId + "' conflicts with a stored version or event id");
      }
      throw failure("append to stream '" + streamId + "' failed", e);
    } catch (RuntimeException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EventStoreException("interrupted while appending to stream '" + streamId + "'", e);
    } catch (Exception e) {
      throw new EventStoreException("append to stream '" + streamId + "' failed", e);
    }
    if (!result.duplicate()) {
      wakeups.appended();
    }
    return result;
  }

  private AppendResult appendOnce(
      Connection c,
      String streamId,
      ExpectedVersion expected,
      List<EventData> batch,
      boolean lookUpIds)
      throws SQLException {
    boolean auto = c.getAutoCommit();
    try (PreparedStatement call =
        c.prepareStatement(batch.size() == 1 ? appendOneCall : appendCall)) {
      AppendCall.bind(c, call, streamId, expected.toLong(), batch, lookUpIds);
      try (ResultSet rs = call.executeQuery()) {
        rs.next();
        if (!auto) {
          c.commit();
        }
        return result(rs, streamId, expected, batch);
      }
    } catch (SQLException | RuntimeException e) {
      if (!auto) {
        c.rollback();
      }
      releaseOrderLock(c, e);
      throw e;
    }
  }

  /** After a failed call: the order lock must not stay with this (pooled) connection. */
  private void releaseOrderLock(Connection c, Exception failure) {
    try (Statement s = c.createStatement()) {
      s.execute(schema.releaseOrderLock());
    } catch (SQLException e) {
      // a broken connection: its server process ends and releases the lock with it
      failure.addSuppressed(e);
    }
  }

  private static AppendResult result(
      ResultSet rs, String streamId, ExpectedVersion expected, List<EventData> batch)
      throws SQLException {
    java.sql.Array foundIds = rs.getArray(3);
    if (foundIds != null) {
      String[] ids = (String[]) foundIds.getArray();
      String[] streams = (String[]) rs.getArray(4).getArray();
      Long[] versions = (Long[]) rs.getArray(5).getArray();
      Long[] positions = (Long[]) rs.getArray(6).getArray();
      Map<String, Appends.StoredId> stored = new HashMap<>();
      for (int i = 0; i < ids.length; i++) {
        stored.put(ids[i], new Appends.StoredId(streams[i], versions[i], positions[i]));
      }
      return Appends.duplicateOf(streamId, batch, stored::get);
    }
    long current = rs.getLong(1);
    long position = rs.getLong(2);
    if (rs.wasNull()) {
      expected.check(streamId, current);
      throw new EventStoreException(
          "the append function stored nothing at version "
              + current
              + ": the database function does not match this version of Collect; reopen the store to"
              + " migrate it");
    }
    return new AppendResult(streamId, current + 1, current + batch.size(), position, false);
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
    return readStream(streamId, fromVersion, maxCount, ">=", "");
  }

  @Override
  public List<RecordedEvent> readStreamBackwards(String streamId, long fromVersion, int maxCount) {
    return readStream(streamId, fromVersion, maxCount, "<=", " DESC");
  }

  private List<RecordedEvent> readStream(
      String streamId, long fromVersion, int maxCount, String from, String order) {
    return query(
        "SELECT "
            + COLUMNS
            + " FROM "
            + events
            + " WHERE stream_id = ? AND stream_version "
            + from
            + " ? ORDER BY stream_version"
            + order
            + " LIMIT ?",
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
    // A notification arriving during this read must not be waited for afterwards (awaitAppend).
    generationAtRead.get()[0] = wakeups.generation();
    if (maxCount <= 0) {
      return List.of();
    }
    // One statement, one snapshot: the settled position (see the class comment), how many rows
    // lie between it and fromPosition, and the rows from fromPosition on.
    String sql =
        "SELECT s.settled, (SELECT count(*) FROM "
            + events
            + " WHERE position > s.settled AND position < ?), e.* FROM ("
            + settled
            + ") s LEFT JOIN LATERAL (SELECT "
            + COLUMNS
            + " FROM "
            + events
            + " WHERE position >= ? ORDER BY position LIMIT ?) e ON true";
    try (Connection c = config.dataSource().getConnection();
        PreparedStatement q = c.prepareStatement(sql)) {
      bind(q, fromPosition, fromPosition, maxCount);
      List<RecordedEvent> out = new ArrayList<>();
      try (ResultSet rs = q.executeQuery()) {
        boolean first = true;
        long next = 0; // the position that may follow the settled part without a gap
        while (rs.next()) {
          long settledAt = rs.getLong(1);
          if (first) {
            first = false;
            // Rows after the settled one are trusted only while no position is missing from
            // settled + 1 on: here, the positions before fromPosition must all be there.
            boolean noGapBefore = rs.getLong(2) == Math.max(0, fromPosition - settledAt - 1);
            next = noGapBefore ? Math.max(fromPosition, settledAt + 1) : Long.MIN_VALUE;
          }
          long position = rs.getLong(3);
          if (rs.wasNull()) {
            break; // no row from fromPosition on
          }
          if (position > settledAt) {
            if (position != next) {
              break; // a missing position whose transaction may still commit: wait for it
            }
            next++;
          }
          out.add(event(rs, 2));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("cannot read the event log", e);
    }
  }

  /**
   * The settled position {@code s} and the committed rows after it that follow it without a gap
   * ({@code run}): the part of the log a reader can trust.
   */
  private String trusted() {
    return "WITH s AS ("
        + settled
        + "), run AS (SELECT position, recorded_micros FROM (SELECT position, recorded_micros,"
        + " position - row_number() OVER (ORDER BY position) AS k FROM "
        + events
        + ", s WHERE position > s.settled) r, s WHERE r.k = s.settled) ";
  }

  /** One past the trusted part of the log (positions may have gaps, see the class comment). */
  @Override
  public long headPosition() {
    return single(trusted() + "SELECT s.settled + 1 + (SELECT count(*) FROM run) FROM s");
  }

  @Override
  public long positionAt(Instant time) {
    long micros = Appends.toMicros(time);
    return single(
        trusted()
            + "SELECT coalesce((SELECT min(position) FROM "
            + events
            + " WHERE recorded_micros >= ? AND "
            + VISIBLE
            + "), (SELECT min(position) FROM run WHERE recorded_micros >= ?),"
            + " (SELECT s.settled + 1 + (SELECT count(*) FROM run) FROM s))",
        micros,
        micros);
  }

  /**
   * Waits for a notification heard after this thread's last {@link #readAll}, at most {@code
   * pollInterval}: the caller then reads again.
   */
  @Override
  public void awaitAppend(long position, Duration timeout) throws InterruptedException {
    Duration wait = timeout.compareTo(config.pollInterval()) < 0 ? timeout : config.pollInterval();
    wakeups.awaitBeyond(generationAtRead.get()[0], wait);
  }

  @Override
  public void close() {
    wakeups.close();
  }

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
          out.add(event(rs, 0));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("cannot read the event log", e);
    }
  }

  /** The event in the {@link #COLUMNS} that start after column {@code offset}. */
  private static RecordedEvent event(ResultSet rs, int offset) throws SQLException {
    return new RecordedEvent(
        rs.getString(offset + 2),
        rs.getLong(offset + 3),
        rs.getLong(offset + 1),
        rs.getString(offset + 4),
        rs.getString(offset + 5),
        rs.getInt(offset + 6),
        rs.getBytes(offset + 7),
        Instant.ofEpochSecond(rs.getLong(offset + 8), rs.getInt(offset + 9)),
        Appends.ofMicros(rs.getLong(offset + 10)),
        rs.getString(offset + 11),
        rs.getString(offset + 12),
        false);
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
