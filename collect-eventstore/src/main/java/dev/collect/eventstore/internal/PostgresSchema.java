package dev.collect.eventstore.internal;

import dev.collect.core.spi.Checks;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * The PostgreSQL objects of one store: the table {@code <prefix>_events}, the sequences {@code
 * <prefix>_positions} (global positions) and {@code <prefix>_clock} (the newest recorded time, in
 * microseconds) and the functions {@code <prefix>_append} and {@code <prefix>_append_one} (the same
 * for one event) that do a whole append in one statement.
 *
 * <p>Created, or migrated from the layout of version 0.1.0 (a {@code <prefix>_head} row locked by
 * every append), on open, by one process at a time (an advisory lock serialises them).
 */
public final class PostgresSchema {
  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,40}");

  private final String prefix;
  private final String events;

  PostgresSchema(String prefix) {
    this.prefix = prefix;
    this.events = prefix + "_events";
  }

  /** {@code value}, if it is a table prefix of the event and key tables; else an exception. */
  public static String checkPrefix(String value) {
    return Checks.matches(
        "tablePrefix",
        value,
        PREFIX,
        "a lowercase letter then up to 40 lowercase letters, digits or '_'");
  }

  String events() {
    return events;
  }

  /** The channel appends notify once committed. */
  String channel() {
    return events;
  }

  /** The first key of this store's advisory locks; the second says which lock. */
  private int lockClass() {
    return ("collect-eventstore:" + prefix).hashCode();
  }

  /**
   * Releases the session-level lock the append function holds while it takes positions, in case a
   * failed call left it held (the call was cancelled between taking and releasing it); a no-op
   * otherwise.
   */
  String releaseOrderLock() {
    return "SELECT pg_advisory_unlock("
        + lockClass()
        + ", 1) FROM pg_locks WHERE locktype ="
        + " 'advisory' AND pid = pg_backend_pid() AND classid = ("
        + lockClass()
        + ")::oid AND objid = 1 AND objsubid = 2";
  }

  void createOrMigrate(Connection c) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("SELECT pg_advisory_xact_lock(" + lockClass() + ", 0)");
      if (exists(c, prefix + "_head")) {
        migrateFromHeadRow(s);
      }
      create(s);
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  private static boolean exists(Connection c, String table) throws SQLException {
    DatabaseMetaData meta = c.getMetaData();
    try (ResultSet rs = meta.getTables(null, null, table, new String[] {"TABLE"})) {
      while (rs.next()) {
        // getTables matches '_' as a wildcard: compare the name exactly
        if (rs.getString("TABLE_NAME").equals(table)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Version 0.1.0 took positions from a head row. Its events stay where they are, with transaction
   * id 0 (committed long ago, so visible to every reader); the sequences continue from the head
   * row, which is then dropped, so that a process still running the old version fails its next
   * append instead of writing positions beside the sequence's.
   */
  private void migrateFromHeadRow(Statement s) throws SQLException {
    String head = prefix + "_head";
    s.execute("LOCK TABLE " + events + ", " + head + " IN ACCESS EXCLUSIVE MODE");
    s.execute("ALTER TABLE " + events + " ADD COLUMN tx_id xid8 NOT NULL DEFAULT '0'");
    s.execute("ALTER TABLE " + events + " ALTER COLUMN tx_id DROP DEFAULT");
    createSequences(s);
    s.execute(
        "SELECT setval('"
            + prefix
            + "_positions', next_position, false), setval('"
            + prefix
            + "_clock', recorded_micros) FROM "
            + head);
    s.execute("DROP TABLE " + head);
  }

  private void createSequences(Statement s) throws SQLException {
    s.execute("CREATE SEQUENCE IF NOT EXISTS " + prefix + "_positions MINVALUE 0 START 0");
    s.execute("CREATE SEQUENCE IF NOT EXISTS " + prefix + "_clock MINVALUE 0 START 0");
  }

  private void create(Statement s) throws SQLException {
    s.execute(
        "CREATE TABLE IF NOT EXISTS "
            + events
            + " (position BIGINT PRIMARY KEY, tx_id xid8 NOT NULL, stream_id TEXT NOT NULL,"
            + " stream_version BIGINT NOT NULL, event_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL,"
            + " schema_version INT NOT NULL, data BYTEA NOT NULL, occurred_seconds BIGINT NOT NULL,"
            + " occurred_nanos INT NOT NULL, recorded_micros BIGINT NOT NULL,"
            + " correlation_id TEXT, causation_id TEXT, UNIQUE (stream_id, stream_version))");
    s.execute(
        "CREATE INDEX IF NOT EXISTS " + events + "_recorded ON " + events + " (recorded_micros)");
    createSequences(s);
    s.execute(appendFunction());
    s.execute(appendOneFunction());
  }

  /**
   * One append in one statement. Under the stream's advisory lock (held until commit, so appends to
   * one stream run one at a time and the version read is exact): read the stream's version; look
   * the event ids up if the expected version does not match or {@code p_look_up} (a retry returns
   * where they are stored and writes nothing; a first attempt that matches skips this and lets the
   * unique index on {@code event_id} say that an id is stored); check the expected version (-2 any,
   * -1 no stream, else the version; a mismatch returns the current version and no position). Then,
   * under a session-level advisory lock taken and released around three calls (so held for those
   * calls only, not until commit), take the transaction id, the positions and the recorded time
   * together: transactions get their ids in the same order as their positions and times, which is
   * what lets readers trust the transaction-id horizon (see {@link PostgresEventStore}). Nothing
   * between taking and releasing that lock fails in practice; if the statement is cancelled there,
   * the caller releases it ({@link #releaseOrderLock}) and a connection that is closed releases it
   * too. (Until this round, a sub-block rolled back on purpose released a transaction-level lock: a
   * sub-transaction per append, 5-15 % of the server's CPU per single-event append.)
   */
  String appendFunction() {
    return function(
        "_append",
        "p_ids text[], p_types text[], p_schemas int[], p_data bytea[], p_seconds bigint[],"
            + " p_nanos int[], p_correlations text[], p_causations text[]",
        "cardinality(p_ids)",
        "unnest(p_ids) AS u(id) JOIN " + events + " ON event_id = u.id",
        "SELECT o_position + i - 1, tx, p_stream, o_current + i, id, t, sv, d, sec, ns, micros,"
            + " cor, cau\n"
            + "    FROM unnest(p_ids, p_types, p_schemas, p_data, p_seconds, p_nanos,"
            + " p_correlations, p_causations) WITH ORDINALITY AS u(id, t, sv, d, sec, ns, cor, cau,"
            + " i)");
  }

  /**
   * {@link #appendFunction} for one event, with scalar parameters: most appends carry one event,
   * and the server parses and unnests eight one-element arrays in about 20 us of CPU per call, a
   * sixth of the whole append (measured with pgbench, one client, server processes' CPU per
   * transaction: 206 us with arrays, 186 without; a plain INSERT 120).
   */
  String appendOneFunction() {
    return function(
        "_append_one",
        "p_id text, p_type text, p_schema int, p_data bytea, p_seconds bigint, p_nanos int,"
            + " p_correlation text, p_causation text",
        "1",
        events + " WHERE event_id = p_id",
        "VALUES (o_position, tx, p_stream, o_current + 1, p_id, p_type, p_schema, p_data,"
            + " p_seconds, p_nanos, micros, p_correlation, p_causation)");
  }

  private String function(
      String suffix, String eventParameters, String count, String lookUpFrom, String rows) {
    String positions = prefix + "_positions";
    String clock = prefix + "_clock";
    return "CREATE OR REPLACE FUNCTION "
        + prefix
        + suffix
        + "(p_stream text, p_expected bigint, "
        + eventParameters
        + ", p_look_up boolean,"
        + " OUT o_current bigint, OUT o_position bigint, OUT o_found_ids text[],"
        + " OUT o_found_streams text[], OUT o_found_versions bigint[],"
        + " OUT o_found_positions bigint[])"
        + " LANGUAGE plpgsql AS $f$\n"
        + "DECLARE\n"
        + "  n int := "
        + count
        + ";\n"
        + "  tx xid8;\n"
        + "  micros bigint;\n"
        + "BEGIN\n"
        + "  PERFORM pg_advisory_xact_lock("
        + (lockClass() + 1)
        + ", hashtext(p_stream));\n"
        + "  SELECT coalesce(max(stream_version), -1) INTO o_current FROM "
        + events
        + " WHERE stream_id = p_stream;\n"
        + "  IF p_look_up OR (p_expected <> -2 AND p_expected <> o_current) THEN\n"
        + "    SELECT array_agg(event_id), array_agg(stream_id), array_agg(stream_version),"
        + " array_agg(position)\n"
        + "      INTO o_found_ids, o_found_streams, o_found_versions, o_found_positions\n"
        + "      FROM "
        + lookUpFrom
        + ";\n"
        + "    IF o_found_ids IS NOT NULL THEN RETURN; END IF;\n"
        + "  END IF;\n"
        + "  IF p_expected <> -2 AND p_expected <> o_current THEN RETURN; END IF;\n"
        + "  PERFORM pg_advisory_lock("
        + lockClass()
        + ", 1);\n"
        + "  tx := pg_current_xact_id();\n"
        + "  o_position := nextval('"
        + positions
        + "');\n"
        + "  IF n > 1 THEN PERFORM setval('"
        + positions
        + "', o_position + n - 1); END IF;\n"
        + "  micros := greatest((extract(epoch FROM clock_timestamp()) * 1000000)::bigint,"
        + " pg_sequence_last_value('"
        + clock
        + "'));\n"
        + "  PERFORM setval('"
        + clock
        + "', micros);\n"
        // a statement of its own: the clock is set before another append can read it
        + "  PERFORM pg_advisory_unlock("
        + lockClass()
        + ", 1);\n"
        + "  INSERT INTO "
        + events
        + " (position, tx_id, stream_id, stream_version, event_id, type, schema_version, data,"
        + " occurred_seconds, occurred_nanos, recorded_micros, correlation_id, causation_id)\n"
        + "    "
        + rows
        + ";\n"
        + "END\n"
        + "$f$";
  }
}
