package dev.collect.eventstore.internal;

import java.time.Duration;

/** Wakes subscriptions when the visible head moves. */
final class AppendSignal {
  private long head;

  synchronized void published(long newHead) {
    if (newHead > head) {
      head = newHead;
      notifyAll();
    }
  }

  synchronized void awaitBeyond(long position, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (head <= position) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }
}
