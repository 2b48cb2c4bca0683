package dev.collect.core.internal.runtime;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A worker's queue of batches, bounded both in records and in estimated bytes. An item is always
 * admitted into an empty queue, so a batch larger than the bound cannot block forever. One lock
 * operation per batch, never per record.
 */
final class WorkQueue {
  private final int maxRecords;
  private final long maxBytes;
  private final ArrayDeque<WorkItem> items = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notFull = lock.newCondition();
  private final Condition notEmpty = lock.newCondition();
  private int records;
  private long bytes;

  WorkQueue(int maxRecords, long maxBytes) {
    this.maxRecords = maxRecords;
    this.maxBytes = maxBytes;
  }

  /** Adds {@code item}, waiting at most {@code timeoutNanos} for room; false if there was none. */
  boolean offer(WorkItem item, long timeoutNanos) throws InterruptedException {
    int n = item.records().size();
    lock.lockInterruptibly();
    try {
      long wait = timeoutNanos;
      while (!items.isEmpty() && (records + n > maxRecords || bytes + item.bytes() > maxBytes)) {
        if (wait <= 0) {
          return false;
        }
        wait = notFull.awaitNanos(wait);
      }
      items.addLast(item);
      records += n;
      bytes += item.bytes();
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Adds the end marker regardless of the bounds. */
  void end() {
    lock.lock();
    try {
      items.addLast(WorkItem.END);
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  /** The next item, or null after {@code timeoutNanos}. */
  WorkItem poll(long timeoutNanos) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      long wait = timeoutNanos;
      while (items.isEmpty()) {
        if (wait <= 0) {
          return null;
        }
        wait = notEmpty.awaitNanos(wait);
      }
      WorkItem item = items.pollFirst();
      records -= item.records().size();
      bytes -= item.bytes();
      notFull.signal();
      return item;
    } finally {
      lock.unlock();
    }
  }

  boolean isEmpty() {
    lock.lock();
    try {
      return items.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  /** Records waiting, for the buffer-fill gauge. */
  int records() {
    lock.lock();
    try {
      return records;
    } finally {
      lock.unlock();
    }
  }

  static long nanos(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }
}
