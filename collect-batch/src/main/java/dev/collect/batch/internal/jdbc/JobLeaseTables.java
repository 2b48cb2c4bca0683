package dev.collect.batch.internal.jdbc;

import dev.collect.core.RetriableCollectException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The two tables that coordinate a job's runs across scheduler instances: {@code <prefix>_leases}
 * (one row per job: the fire time it is at, who owns it, until when, whether it is running) and
 * {@code <prefix>_runs} (one row per finished run, keyed by job and fire time). Every change of a
 * lease row is one compare-and-set {@code UPDATE ... WHERE} naming the state it expects, so of
 * several instances racing for a fire time exactly one changes the row; a finished run's history
 * row and the release of its lease commit in one transaction, so a run whose lease was taken over
 * cannot record itself. Times are epoch milliseconds of the instances' clocks.
 */
public final class JobLeaseTables {
  private static final int MAX_FAILURE = 2000;
  private final DataSource dataSource;
  private final String leases;
  private final String runs;

  /** The state of a job's lease row. */
  public record Lease(long fireMs, String owner, long leaseUntilMs, boolean running, int attempt) {}

  /** A finished run as stored: its {@code runKey} is the fire time, or a manual run's own key. */
  public record RunRow(
      String job,
      String runKey,
      String trigger,
      Long scheduledForMs,
      long startedMs,
      long endedMs,
      String outcome,
      long received,
      long written,
      long deadLettered,
      long filtered,
      String failure,
      String instance,
      int attempt) {}

  public JobLeaseTables(DataSource dataSource, String prefix) throws SQLException {
    this.dataSource = dataSource;
    this.leases = prefix + "_leases";
    this.runs = prefix + "_runs";
    Sql.execute(
        dataSource,
        "CREATE TABLE IF NOT EXISTS "
            + leases
            + " (job VARCHAR(100) NOT NULL PRIMARY KEY, fire_ms BIGINT NOT NULL,"
            + " owner VARCHAR(200), lease_until_ms BIGINT NOT NULL, running INT NOT NULL,"
            + " attempt INT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS "
            + runs
            + " (job VARCHAR(100) NOT NULL, run_key VARCHAR(64) NOT NULL,"
            + " run_trigger VARCHAR(20) NOT NULL, scheduled_for_ms BIGINT,"
            + " started_ms BIGINT NOT NULL, ended_ms BIGINT NOT NULL,"
            + " outcome VARCHAR(20) NOT NULL, received BIGINT NOT NULL, written BIGINT NOT NULL,"
            + " dead_lettered BIGINT NOT NULL, filtered BIGINT NOT NULL,"
            + " failure VARCHAR(2000), instance VARCHAR(200) NOT NULL, attempt INT NOT NULL,"
            + " PRIMARY KEY (job, run_key))");
  }

  /** Creates the job's lease row at {@code fireMs} (the last fire time handled) if absent. */
  public void ensure(String job, long fireMs) {
    if (lease(job).isPresent()) {
      return;
    }
    try {
      Sql.update(
          dataSource,
          "INSERT INTO "
              + leases
              + " (job, fire_ms, owner, lease_until_ms, running, attempt)"
              + " VALUES (?, ?, NULL, 0, 0, 0)",
          job,
          fireMs);
    } catch (SQLException e) {
      if (lease(job).isEmpty()) { // not a lost race with another instance's insert
        throw new RetriableCollectException("creating the lease row in " + leases + " failed", e);
      }
    }
  }

  public Optional<Lease> lease(String job) {
    try {
      return Sql.first(
          dataSource,
          "SELECT fire_ms, owner, lease_until_ms, running, attempt FROM "
              + leases
              + " WHERE job = ?",
          rs ->
              new Lease(
                  rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getInt(4) == 1, rs.getInt(5)),
          job);
    } catch (SQLException e) {
      throw new RetriableCollectException("reading " + leases + " failed", e);
    }
  }

  /** Claims fire time {@code nextMs} of a job idle at {@code fireMs}; true if this call won. */
  public boolean claim(String job, long fireMs, long nextMs, String owner, long untilMs) {
    return update(
        "UPDATE "
            + leases
            + " SET fire_ms = ?, owner = ?, lease_until_ms = ?, running = 1, attempt = 1"
            + " WHERE job = ? AND fire_ms = ? AND running = 0",
        nextMs,
        owner,
        untilMs,
        job,
        fireMs);
  }

  /** Moves an idle job from {@code fireMs} to {@code nextMs} without running it. */
  public boolean skip(String job, long fireMs, long nextMs) {
    return update(
        "UPDATE " + leases + " SET fire_ms = ? WHERE job = ? AND fire_ms = ? AND running = 0",
        nextMs,
        job,
        fireMs);
  }

  /** Takes over the running fire time {@code fireMs} whose lease expired before {@code nowMs}. */
  public boolean takeOver(String job, long fireMs, long nowMs, String owner, long untilMs) {
    return update(
        "UPDATE "
            + leases
            + " SET owner = ?, lease_until_ms = ?, attempt = attempt + 1"
            + " WHERE job = ? AND fire_ms = ? AND running = 1 AND lease_until_ms < ?",
        owner,
        untilMs,
        job,
        fireMs,
        nowMs);
  }

  /** Extends the lease of {@code owner}'s running fire time; false if it lost the lease. */
  public boolean renew(String job, long fireMs, String owner, long untilMs) {
    return update(
        "UPDATE "
            + leases
            + " SET lease_until_ms = ? WHERE job = ? AND fire_ms = ? AND owner = ? AND running = 1",
        untilMs,
        job,
        fireMs,
        owner);
  }

  /**
   * Records a finished scheduled run and releases its lease in one transaction; false (nothing
   * recorded) if {@code run.instance()} no longer holds the lease of that fire time.
   */
  public boolean complete(RunRow run) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        int released;
        try (PreparedStatement s =
            c.prepareStatement(
                "UPDATE "
                    + leases
                    + " SET running = 0, lease_until_ms = 0"
                    + " WHERE job = ? AND fire_ms = ? AND owner = ? AND running = 1")) {
          s.setString(1, run.job());
          s.setLong(2, run.scheduledForMs());
          s.setString(3, run.instance());
          released = s.executeUpdate();
        }
        if (released != 1) {
          c.rollback();
          return false;
        }
        insert(c, run);
        c.commit();
        return true;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new RetriableCollectException("recording a run in " + runs + " failed", e);
    }
  }

  /** Records a run that held no lease (a manual run). */
  public void record(RunRow run) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      insert(c, run);
    } catch (SQLException e) {
      throw new RetriableCollectException("recording a run in " + runs + " failed", e);
    }
  }

  private void insert(Connection c, RunRow run) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO "
                + runs
                + " (job, run_key, run_trigger, scheduled_for_ms, started_ms, ended_ms, outcome,"
                + " received, written, dead_lettered, filtered, failure, instance, attempt)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      String failure = run.failure();
      s.setString(1, run.job());
      s.setString(2, run.runKey());
      s.setString(3, run.trigger());
      s.setObject(4, run.scheduledForMs(), Types.BIGINT);
      s.setLong(5, run.startedMs());
      s.setLong(6, run.endedMs());
      s.setString(7, run.outcome());
      s.setLong(8, run.received());
      s.setLong(9, run.written());
      s.setLong(10, run.deadLettered());
      s.setLong(11, run.filtered());
      s.setString(
          12,
          failure == null || failure.length() <= MAX_FAILURE
              ? failure
              : failure.substring(0, MAX_FAILURE));
      s.setString(13, run.instance());
      s.setInt(14, run.attempt());
      s.executeUpdate();
    }
  }

  /** The newest {@code limit} runs of a job, oldest first. */
  public List<RunRow> history(String job, int limit) {
    List<RunRow> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT job, run_key, run_trigger, scheduled_for_ms, started_ms, ended_ms, outcome,"
                    + " received, written, dead_lettered, filtered, failure, instance, attempt"
                    + " FROM "
                    + runs
                    + " WHERE job = ? ORDER BY ended_ms DESC, run_key DESC")) {
      s.setString(1, job);
      s.setMaxRows(limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          long scheduled = rs.getLong(4);
          Long scheduledFor = rs.wasNull() ? null : scheduled;
          rows.add(
              0,
              new RunRow(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  scheduledFor,
                  rs.getLong(5),
                  rs.getLong(6),
                  rs.getString(7),
                  rs.getLong(8),
                  rs.getLong(9),
                  rs.getLong(10),
                  rs.getLong(11),
                  rs.getString(12),
                  rs.getString(13),
                  rs.getInt(14)));
        }
      }
    } catch (SQLException e) {
      throw new RetriableCollectException("reading " + runs + " failed", e);
    }
    return rows;
  }

  private boolean update(String sql, Object... params) {
    try {
      return Sql.update(dataSource, sql, params) == 1;
    } catch (SQLException e) {
      throw new RetriableCollectException("updating " + leases + " failed", e);
    }
  }
}
