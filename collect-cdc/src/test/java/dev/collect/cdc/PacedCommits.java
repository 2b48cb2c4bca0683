package dev.collect.cdc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.Callable;

/**
 * Commits small transactions into {@code <table> (t_ns, pad)} at a steady rate on its own thread
 * and connection, each row stamped with {@link System#nanoTime()} just before its commit, so that a
 * reader in the same JVM can measure commit-to-delivery lag without clock skew (benchmark support).
 * Rows stamped at or after {@link #openWindow} are counted as the measurement window.
 */
final class PacedCommits implements AutoCloseable {
  private final Callable<Connection> connect;
  private final String table;
  private final int rowsPerSecond;
  private final int rowsPerTransaction;
  private final Thread thread;
  private volatile boolean stop;
  private volatile long windowStartNanos = Long.MAX_VALUE;
  private volatile long windowEndNanos;
  private volatile int windowRows;
  private volatile Exception failure;

  PacedCommits(Callable<Connection> connect, String table, int rowsPerSecond, int rowsPerTx) {
    this.connect = connect;
    this.table = table;
    this.rowsPerSecond = rowsPerSecond;
    this.rowsPerTransaction = rowsPerTx;
    this.thread = new Thread(this::run, "paced-commits-" + table);
  }

  PacedCommits start() {
    thread.start();
    return this;
  }

  /** Starts the window now; returns its start, the stamp from which rows count. */
  long openWindow() {
    windowStartNanos = System.nanoTime();
    return windowStartNanos;
  }

  /** Rows committed in the window so far. */
  int windowRows() {
    return windowRows;
  }

  /** Rows per second the writer achieved in the window (valid after close). */
  double windowRate() {
    return windowRows / ((windowEndNanos - windowStartNanos) / 1e9);
  }

  private void run() {
    StringBuilder sql = new StringBuilder("INSERT INTO " + table + " (t_ns, pad) VALUES ");
    for (int i = 0; i < rowsPerTransaction; i++) {
      sql.append(i == 0 ? "" : ",").append("(?, md5(random()::text))");
    }
    try (Connection c = connect.call();
        PreparedStatement insert = c.prepareStatement(sql.toString())) {
      c.setAutoCommit(true);
      long start = System.nanoTime();
      long transactions = 0;
      while (!stop) {
        long due = start + (long) (transactions * rowsPerTransaction * 1e9 / rowsPerSecond);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          // Sleep in short steps; when behind, write without sleeping to catch up.
          Thread.sleep(Math.max(1, Math.min(5, wait / 1_000_000)));
          continue;
        }
        long stamp = System.nanoTime();
        for (int i = 1; i <= rowsPerTransaction; i++) {
          insert.setLong(i, stamp);
        }
        insert.executeUpdate(); // auto-commit: the stamp is taken just before the commit
        transactions++;
        if (stamp >= windowStartNanos) {
          windowRows += rowsPerTransaction;
        }
      }
    } catch (Exception e) {
      failure = e;
    }
  }

  @Override
  public void close() throws Exception {
    stop = true;
    thread.join();
    windowEndNanos = System.nanoTime();
    if (failure != null) {
      throw failure;
    }
  }
}
