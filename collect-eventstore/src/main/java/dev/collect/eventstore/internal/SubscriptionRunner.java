package dev.collect.eventstore.internal;

import dev.collect.core.CheckpointStore;
import dev.collect.core.spi.Checks;
import dev.collect.eventstore.EventHandler;
import dev.collect.eventstore.EventStore;
import dev.collect.eventstore.RecordedEvent;
import dev.collect.eventstore.Subscription;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription's thread: reads the global log from the checkpoint in batches, hands events to the
 * handler, saves the next position after each batch, and waits for appends once caught up. With a
 * {@link NotifyingStore} (every backend of this module) that wait ends as soon as an append is
 * published (the file and memory backends: in this process; PostgreSQL: in this process for the
 * appending store, else through {@code LISTEN/NOTIFY}, and at most {@code pollInterval}); a store
 * that cannot notify is read again every 100 ms. {@link #close} interrupts the thread only while it
 * waits, never while the handler runs or the checkpoint is saved.
 */
public final class SubscriptionRunner implements Subscription {
  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionRunner.class);

  /** How long a caught-up subscription of a store that cannot notify waits before reading again. */
  public static final Duration IDLE_WAIT = Duration.ofMillis(100);

  /**
   * The same for a {@link NotifyingStore}, which wakes it on appends and may cap the wait itself
   * (PostgreSQL: at its {@code pollInterval}).
   */
  static final Duration NOTIFIED_IDLE_WAIT = Duration.ofMinutes(1);

  private final EventStore store;
  private final String name;
  private final CheckpointStore checkpoints;
  private final EventHandler handler;
  private final int batchSize;
  private final Duration idleWait;
  private final Thread thread;
  private final Object progress = new Object();
  // Guards waiting: close() interrupts the thread only inside awaitAppend.
  private final Object waitLock = new Object();
  private boolean waiting;
  private volatile long position;
  private volatile boolean running = true;
  private volatile Throwable failure;

  private SubscriptionRunner(
      EventStore store,
      String name,
      CheckpointStore checkpoints,
      EventHandler handler,
      int batch,
      Duration idleWait) {
    this.store = store;
    this.idleWait = idleWait;
    this.name = name;
    this.checkpoints = checkpoints;
    this.handler = handler;
    this.batchSize = batch;
    this.position = checkpoints.load(key(name)).map(Long::parseLong).orElse(0L);
    this.thread = new Thread(this::run, "collect-eventstore-subscription-" + name);
    thread.setDaemon(true);
  }

  public static Subscription start(
      EventStore store, String name, CheckpointStore checkpoints, EventHandler handler, int batch) {
    Duration idle = store instanceof NotifyingStore ? NOTIFIED_IDLE_WAIT : IDLE_WAIT;
    return start(store, name, checkpoints, handler, batch, idle);
  }

  /**
   * {@link #start(EventStore, String, CheckpointStore, EventHandler, int)} with the longest wait
   * for an append before reading again ({@code idleWait}; a PostgreSQL store also caps it at its
   * {@code pollInterval}).
   */
  public static Subscription start(
      EventStore store,
      String name,
      CheckpointStore checkpoints,
      EventHandler handler,
      int batch,
      Duration idleWait) {
    Checks.notEmpty("subscriberName", name);
    SubscriptionRunner runner =
        new SubscriptionRunner(store, name, checkpoints, handler, batch, idleWait);
    runner.thread.start();
    return runner;
  }

  /** The checkpoint key of a subscriber. */
  public static String key(String subscriberName) {
    return "eventstore-subscription-" + subscriberName;
  }

  /**
   * Returns once {@code store}'s head passes {@code position} or after {@code timeout}: at once on
   * an append where the store notifies, else after at most {@link #IDLE_WAIT}.
   */
  public static void awaitAppend(EventStore store, long position, Duration timeout)
      throws InterruptedException {
    if (store instanceof NotifyingStore notifying) {
      notifying.awaitAppend(position, timeout);
    } else {
      Thread.sleep(Math.min(timeout.toMillis(), IDLE_WAIT.toMillis()));
    }
  }

  private void run() {
    try {
      while (running) {
        List<RecordedEvent> events = store.readAll(position, batchSize);
        if (events.isEmpty()) {
          if (!idle()) {
            return;
          }
          continue;
        }
        long handled = position;
        try {
          for (RecordedEvent e : events) {
            if (!running) {
              break;
            }
            handler.handle(e);
            handled = e.position() + 1;
          }
        } finally {
          if (handled != position) {
            checkpoints.save(key(name), Long.toString(handled));
            advance(handled);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      LOG.warn("subscription {} stopped at position {}: {}", name, position, t.toString());
      failure = t;
    } finally {
      running = false;
      synchronized (progress) {
        progress.notifyAll();
      }
    }
  }

  /** Waits for an append; false once closed. */
  private boolean idle() throws InterruptedException {
    synchronized (waitLock) {
      if (!running) {
        return false;
      }
      waiting = true;
    }
    try {
      awaitAppend(store, position, idleWait);
      return true;
    } catch (InterruptedException e) {
      if (!running) {
        return false; // close() woke us
      }
      throw e;
    } finally {
      synchronized (waitLock) {
        waiting = false;
      }
      if (!running) {
        Thread.interrupted(); // a close() interrupt that came after the wait ended
      }
    }
  }

  private void advance(long next) {
    synchronized (progress) {
      position = next;
      progress.notifyAll();
    }
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public Throwable failure() {
    return failure;
  }

  @Override
  public boolean awaitPosition(long target, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (position < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !running) {
          return position >= target;
        }
        progress.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  @Override
  public void close() {
    // Interrupt only a waiting thread: an interrupt mid-save would close the file channels of a
    // checkpoint store.
    synchronized (waitLock) {
      running = false;
      if (waiting) {
        thread.interrupt();
      }
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
