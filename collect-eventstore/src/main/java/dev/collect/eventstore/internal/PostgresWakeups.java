package dev.collect.eventstore.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code LISTEN/NOTIFY} between the processes of one store. Appenders do not notify inside their
 * transaction: PostgreSQL holds a database-wide lock from a notifying transaction's commit until
 * its WAL flush ends, which would make appends commit one at a time again. Instead, a notifier
 * thread sends one {@code NOTIFY} (one statement in its own transaction, with {@code
 * synchronous_commit = off}: a lost notification only costs a poll) after appends have committed,
 * one for every append committed while it was sending the previous one, and at most one every
 * {@link #MIN_NOTIFY_GAP_NANOS}: the PostgreSQL driver returns from {@code getNotifications} only
 * once no further notification arrives within 1 ms, so a listener sent one every millisecond or
 * faster hears them in bursts tens to hundreds of milliseconds late. The store's own subscribers
 * are woken in the process as soon as its append commits, without the round trip. A listener
 * thread, started by the first subscriber, holds one connection in {@code LISTEN} and counts
 * notifications; subscribers wait for the count to change, or for the poll interval, whichever
 * comes first. Driver calls go through reflection, so the PostgreSQL driver stays a runtime
 * dependency of the store.
 */
final class PostgresWakeups implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresWakeups.class);

  /**
   * The shortest time from the end of one notification of a store to the start of the next (2 ms):
   * longer than the driver's 1 ms read-ahead, so each reaches listeners on its own; the first after
   * a quiet spell goes at once.
   */
  static final long MIN_NOTIFY_GAP_NANOS = 2_000_000;

  private final DataSource dataSource;
  private final String channel;
  private final Thread notifier;
  private final Object heard = new Object();
  private volatile boolean pending;
  private volatile boolean closed;
  private long generation;
  private Thread listener;

  PostgresWakeups(DataSource dataSource, String channel) {
    this.dataSource = dataSource;
    this.channel = channel;
    this.notifier = new Thread(this::notifyLoop, "collect-eventstore-notify-" + channel);
    notifier.setDaemon(true);
    notifier.start();
  }

  /**
   * Called after an append of this store committed: wakes this store's waiting subscribers at once,
   * and other stores' (other processes') through the notifier.
   */
  void appended() {
    synchronized (heard) {
      generation++;
      heard.notifyAll();
    }
    pending = true;
    LockSupport.unpark(notifier);
  }

  /** The number of notifications heard so far. */
  long generation() {
    synchronized (heard) {
      return generation;
    }
  }

  /**
   * Returns when a notification arrives after {@code seen} was the generation, or after timeout;
   * starts the listener on first use.
   */
  void awaitBeyond(long seen, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (heard) {
      if (listener == null && !closed) {
        listener = new Thread(this::listenLoop, "collect-eventstore-listen-" + channel);
        listener.setDaemon(true);
        listener.start();
      }
      while (generation == seen && !closed) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        heard.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  private void notifyLoop() {
    long lastSent = System.nanoTime() - MIN_NOTIFY_GAP_NANOS;
    while (!closed) {
      if (!pending) {
        LockSupport.park(this);
        continue;
      }
      long early = lastSent + MIN_NOTIFY_GAP_NANOS - System.nanoTime();
      if (early > 0) {
        LockSupport.parkNanos(this, early);
        continue;
      }
      pending = false;
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
          // One round trip; the setting is local to this statement's own transaction.
          s.execute(
              "SELECT set_config('synchronous_commit', 'off', true), pg_notify('"
                  + channel
                  + "', '')");
        }
      } catch (SQLException e) {
        LOG.warn("cannot notify {}, subscribers fall back to polling: {}", channel, e.toString());
        LockSupport.parkNanos(this, 1_000_000_000L);
      } finally {
        lastSent = System.nanoTime(); // the gap runs from the end of a notification
      }
    }
  }

  private void listenLoop() {
    while (!closed) {
      try (Connection c = dataSource.getConnection()) {
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + channel);
        }
        Class<?> api = Class.forName("org.postgresql.PGConnection");
        Object pg = c.unwrap(api);
        Method poll = api.getMethod("getNotifications", int.class);
        try {
          while (!closed) {
            Object[] got = (Object[]) poll.invoke(pg, 500);
            if (got != null && got.length > 0) {
              synchronized (heard) {
                generation++;
                heard.notifyAll();
              }
            }
          }
        } finally {
          try (Statement s = c.createStatement()) {
            s.execute("UNLISTEN " + channel);
          }
        }
      } catch (SQLException | ReflectiveOperationException e) {
        if (closed) {
          return;
        }
        Throwable cause = e instanceof InvocationTargetException t ? t.getCause() : e;
        LOG.warn("cannot listen on {}, subscribers poll: {}", channel, String.valueOf(cause));
        LockSupport.parkNanos(this, 1_000_000_000L);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(notifier);
    Thread listening;
    synchronized (heard) {
      heard.notifyAll();
      listening = listener;
    }
    try {
      notifier.join(1_000);
      if (listening != null) {
        listening.join(1_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
