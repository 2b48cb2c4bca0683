package dev.collect.eventstore.internal;

import java.util.Arrays;

/**
 * A growable array of longs with one writer and many lock-free readers: a reader that reads {@link
 * #size()} first sees every element below it. The writer publishes an element by bumping the
 * volatile size after storing it (and, when it grows, after publishing the bigger array).
 */
final class LongArray {
  private volatile long[] data;
  private volatile int size;

  LongArray(int capacity) {
    this.data = new long[Math.max(4, capacity)];
  }

  /** Writer only. */
  void add(long value) {
    long[] current = data;
    int n = size;
    if (n == current.length) {
      current = Arrays.copyOf(current, n * 2);
      data = current;
    }
    current[n] = value;
    size = n + 1;
  }

  int size() {
    return size;
  }

  /** Valid for {@code index < size()} as read before. */
  long get(int index) {
    return data[index];
  }

  /** The last index {@code i < n} with {@code get(i) <= value}, or -1. */
  int floorIndex(long value, int n) {
    long[] d = data;
    int lo = 0;
    int hi = n - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (d[mid] <= value) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** The first index {@code i < n} with {@code get(i) >= value}, or n. */
  int ceilingIndex(long value, int n) {
    long[] d = data;
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (d[mid] < value) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
