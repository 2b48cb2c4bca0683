package dev.collect.core.spi;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * The hand-off between threads that receive data and the thread that takes it on, bounded both in
 * records and in (estimated) bytes: a push source's receiving threads (HTTP requests, MQTT
 * callbacks, a Debezium engine) and the pipeline's reader, or the reader and a worker. Each item
 * weighs what the two weighers given at creation say (a batch of 500 records is 500 records); they
 * must give the same weight for an item every time they are asked.
 *
 * <p>Guarantees: items leave in the order they came (FIFO). Producers either wait for room ({@link
 * #offer(Object, Duration)}, to slow a connection or an engine down) or add a whole group or
 * nothing ({@link #offerAll}, to answer "retry later"). An empty hand-off (nothing waiting or held)
 * takes any one item, so an item heavier than a bound never blocks forever; beyond that, the
 * records and bytes waiting never pass the bounds, except for {@link #addUnbounded} (end markers).
 * A consumer that works through an item after taking it can keep the item's room until it is done
 * ({@link #pollHeld}, {@link #release}), so that the bounds also cover the item in hand. Waits are
 * interruptible.
 *
 * <p>Thread-safe, for any number of producers and consumers; one lock operation per item or group,
 * never per record.
 *
 * @param <E> the items: records, or batches of them
 */
public final class BoundedHandOff<E> {
  private final int maxRecords;
  private final long maxBytes;
  private final ToIntFunction<? super E> recordsOf;
  private final ToLongFunction<? super E> bytesOf;
  private final ArrayDeque<E> items = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition changed = lock.newCondition();
  private int records;
  private long bytes;

  private BoundedHandOff(
      int maxRecords,
      long maxBytes,
      ToIntFunction<? super E> recordsOf,
      ToLongFunction<? super E> bytesOf) {
    this.maxRecords = Checks.positive("maxRecords", maxRecords);
    this.maxBytes = Checks.positive("maxBytes", maxBytes);
    this.recordsOf = Objects.requireNonNull(recordsOf, "recordsOf");
    this.bytesOf = Objects.requireNonNull(bytesOf, "bytesOf");
  }

  /**
   * A hand-off of at most {@code maxRecords} records and {@code maxBytes} bytes, each item weighing
   * {@code recordsOf} records and {@code bytesOf} bytes.
   */
  public static <E> BoundedHandOff<E> of(
      int maxRecords,
      long maxBytes,
      ToIntFunction<? super E> recordsOf,
      ToLongFunction<? super E> bytesOf) {
    return new BoundedHandOff<>(maxRecords, maxBytes, recordsOf, bytesOf);
  }

  /** A hand-off of at most {@code maxItems} items, each one record, not bounded in bytes. */
  public static <E> BoundedHandOff<E> ofItems(int maxItems) {
    return new BoundedHandOff<>(maxItems, Long.MAX_VALUE, e -> 1, e -> 0L);
  }

  /** Adds {@code item}, waiting up to {@code timeout} for room; false if none came in time. */
  public boolean offer(E item, Duration timeout) throws InterruptedException {
    return offer(item, timeout.toNanos());
  }

  /** {@link #offer(Object, Duration)} with the timeout in nanoseconds. */
  public boolean offer(E item, long timeoutNanos) throws InterruptedException {
    int n = recordsOf.applyAsInt(item);
    long size = bytesOf.applyAsLong(item);
    lock.lockInterruptibly();
    try {
      long wait = timeoutNanos;
      while (!fits(n, size)) {
        if (wait <= 0) {
          return false;
        }
        wait = changed.awaitNanos(wait);
      }
      add(item, n, size);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Adds all of {@code group} if it fits within the bounds now, else none of it (even when the
   * hand-off is empty: a group heavier than a bound is never taken); never waits.
   */
  public boolean offerAll(List<? extends E> group) {
    int n = 0;
    long size = 0;
    for (E item : group) {
      n += recordsOf.applyAsInt(item);
      size += bytesOf.applyAsLong(item);
    }
    lock.lock();
    try {
      if (records + n > maxRecords || bytes + size > maxBytes) {
        return false;
      }
      items.addAll(group);
      records += n;
      bytes += size;
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Adds {@code item} whatever the bounds: an end marker that must not wait. */
  public void addUnbounded(E item) {
    int n = recordsOf.applyAsInt(item);
    long size = bytesOf.applyAsLong(item);
    lock.lock();
    try {
      add(item, n, size);
    } finally {
      lock.unlock();
    }
  }

  /** The next item, waiting at most {@code timeoutNanos} for one; null if none came. */
  public @Nullable E poll(long timeoutNanos) throws InterruptedException {
    return take(timeoutNanos, true);
  }

  /**
   * The next item, waiting at most {@code timeoutNanos}, or null; its records and bytes still count
   * against the bounds until {@link #release} (for a consumer that works through it).
   */
  public @Nullable E pollHeld(long timeoutNanos) throws InterruptedException {
    return take(timeoutNanos, false);
  }

  private @Nullable E take(long timeoutNanos, boolean free) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      if (!awaitItem(timeoutNanos)) {
        return null;
      }
      E item = items.pollFirst();
      if (free) {
        records -= recordsOf.applyAsInt(item);
        bytes -= bytesOf.applyAsLong(item);
      }
      changed.signalAll(); // room for producers, or an empty hand-off for awaitEmpty
      return item;
    } finally {
      lock.unlock();
    }
  }

  /** Gives back the room of an item taken with {@link #pollHeld}. */
  public void release(E item) {
    int n = recordsOf.applyAsInt(item);
    long size = bytesOf.applyAsLong(item);
    lock.lock();
    try {
      records -= n;
      bytes -= size;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Up to {@code maxItems} items, waiting at most {@code timeout} for the first; never null. */
  public List<E> poll(int maxItems, Duration timeout) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      if (!awaitItem(timeout.toNanos())) {
        return List.of();
      }
      int n = Math.min(maxItems, items.size());
      List<E> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        E item = items.pollFirst();
        records -= recordsOf.applyAsInt(item);
        bytes -= bytesOf.applyAsLong(item);
        out.add(item);
      }
      changed.signalAll();
      return out;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until no item waits, at most {@code timeout}; true if that happened (items taken with
   * {@link #pollHeld} and not yet released do not count).
   */
  public boolean awaitEmpty(Duration timeout) throws InterruptedException {
    long wait = timeout.toNanos();
    lock.lockInterruptibly();
    try {
      while (!items.isEmpty()) {
        if (wait <= 0) {
          return false;
        }
        wait = changed.awaitNanos(wait);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Items waiting. */
  public int size() {
    lock.lock();
    try {
      return items.size();
    } finally {
      lock.unlock();
    }
  }

  /** True if no item waits. */
  public boolean isEmpty() {
    return size() == 0;
  }

  /** Records counted against the bound: those waiting and those held. */
  public int records() {
    lock.lock();
    try {
      return records;
    } finally {
      lock.unlock();
    }
  }

  /** Bytes counted against the bound: those waiting and those held. */
  public long bytes() {
    lock.lock();
    try {
      return bytes;
    } finally {
      lock.unlock();
    }
  }

  /** The bound in records. */
  public int maxRecords() {
    return maxRecords;
  }

  /** The bound in bytes ({@link Long#MAX_VALUE}: none). */
  public long maxBytes() {
    return maxBytes;
  }

  /** Waits, holding the lock, until an item waits; false if none came within {@code nanos}. */
  private boolean awaitItem(long nanos) throws InterruptedException {
    long wait = nanos;
    while (items.isEmpty()) {
      if (wait <= 0) {
        return false;
      }
      wait = notEmpty.awaitNanos(wait);
    }
    return true;
  }

  /** Whether an item of this weight may come in now: it fits, or nothing is counted. */
  private boolean fits(int n, long size) {
    return (records == 0 && bytes == 0) || (records + n <= maxRecords && bytes + size <= maxBytes);
  }

  private void add(E item, int n, long size) {
    items.addLast(item);
    records += n;
    bytes += size;
    notEmpty.signal();
  }
}
