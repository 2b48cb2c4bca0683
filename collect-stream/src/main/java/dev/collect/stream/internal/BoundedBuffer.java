package dev.collect.stream.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hand-over between a push source's receiving threads and the pipeline's reader thread, bounded
 * in items and in bytes. Producers either add a whole request or nothing ({@link #offerAll}, for
 * answering "retry later") or wait for room ({@link #put}, to slow a connection down). Thread-safe.
 */
final class BoundedBuffer<E> {
  private record Item<E>(E value, long bytes) {}

  private final int maxItems;
  private final long maxBytes;
  private final ArrayDeque<Item<E>> items = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private long bytes;

  BoundedBuffer(int maxItems, long maxBytes) {
    this.maxItems = maxItems;
    this.maxBytes = maxBytes;
  }

  /** Adds all values, or none when they do not fit; {@code sizes[i]} is the bytes of value i. */
  boolean offerAll(List<E> values, long[] sizes) {
    long total = 0;
    for (long s : sizes) {
      total += s;
    }
    lock.lock();
    try {
      if (items.size() + values.size() > maxItems || bytes + total > maxBytes) {
        return false;
      }
      for (int i = 0; i < values.size(); i++) {
        items.addLast(new Item<>(values.get(i), sizes[i]));
      }
      bytes += total;
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Adds one value, waiting up to {@code timeout} for room; an empty buffer always takes it, so a
   * value larger than the byte bound cannot block forever.
   */
  boolean put(E value, long size, Duration timeout) throws InterruptedException {
    long wait = timeout.toNanos();
    lock.lockInterruptibly();
    try {
      while (!items.isEmpty() && (items.size() + 1 > maxItems || bytes + size > maxBytes)) {
        if (wait <= 0) {
          return false;
        }
        wait = notFull.awaitNanos(wait);
      }
      items.addLast(new Item<>(value, size));
      bytes += size;
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Up to {@code max} values, waiting at most {@code timeout} for the first. */
  List<E> poll(int max, Duration timeout) throws InterruptedException {
    long wait = timeout.toNanos();
    lock.lockInterruptibly();
    try {
      while (items.isEmpty()) {
        if (wait <= 0) {
          return List.of();
        }
        wait = notEmpty.awaitNanos(wait);
      }
      int n = Math.min(max, items.size());
      List<E> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Item<E> item = items.pollFirst();
        bytes -= item.bytes();
        out.add(item.value());
      }
      notFull.signalAll();
      return out;
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return items.size();
    } finally {
      lock.unlock();
    }
  }

  int capacity() {
    return maxItems;
  }

  static long nanos(Duration d) {
    return TimeUnit.NANOSECONDS.convert(d);
  }
}
