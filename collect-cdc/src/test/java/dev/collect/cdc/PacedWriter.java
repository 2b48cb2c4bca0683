package dev.collect.cdc;

import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.Callable;

/**
 * Inserts rows {@code (id, amount)} with ids 1, 2, 3... in small transactions at a steady rate, on
 * its own thread and connection, until closed (test support).
 */
final class PacedWriter implements AutoCloseable {
  private final Callable<Connection> connect;
  private final String table;
  private final int rowsPerSecond;
  private final int rowsPerTransaction;
  private final Thread thread;
  private volatile boolean stop;
  private volatile int written;
  private volatile Exception failure;

  PacedWriter(Callable<Connection> connect, String table, int rowsPerSecond, int rowsPerTx) {
    this.connect = connect;
    this.table = table;
    this.rowsPerSecond = rowsPerSecond;
    this.rowsPerTransaction = rowsPerTx;
    this.thread = new Thread(this::run, "paced-writer-" + table);
  }

  PacedWriter start() {
    thread.start();
    return this;
  }

  /** Rows committed so far. */
  int written() {
    return written;
  }

  private void run() {
    long start = System.nanoTime();
    try (Connection c = connect.call();
        Statement st = c.createStatement()) {
      int id = 0;
      while (!stop) {
        long due = start + (long) (id * 1e9 / rowsPerSecond);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(Math.max(1, Math.min(5, wait / 1_000_000)));
          continue;
        }
        StringBuilder values = new StringBuilder();
        for (int i = 1; i <= rowsPerTransaction; i++) {
          int row = id + i;
          values.append(i == 1 ? "" : ",").append('(').append(row).append(',').append(row % 97);
          values.append(')');
        }
        st.execute("INSERT INTO " + table + " (id, amount) VALUES " + values);
        id += rowsPerTransaction;
        written = id;
      }
    } catch (Exception e) {
      failure = e;
    }
  }

  /** Stops writing; returns the rows written. */
  @Override
  public void close() throws Exception {
    stop = true;
    thread.join();
    if (failure != null) {
      throw failure;
    }
  }
}
