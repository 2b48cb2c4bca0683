package dev.collect.cdc;

import dev.collect.core.Envelope;
import dev.collect.core.Sink;
import dev.collect.core.testing.TestSink;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sink that holds every write while its gate is closed and passes it to a {@link TestSink} once
 * open; it counts the records waiting at the gate (test support). Waits are interruptible.
 */
final class GatedSink<T> implements Sink<T> {
  private final TestSink<T> delegate = new TestSink<>("gated");
  private final AtomicInteger waiting = new AtomicInteger();
  private final Object lock = new Object();
  private boolean open = true;

  @Override
  public String name() {
    return "gated";
  }

  @Override
  public void write(List<Envelope<T>> batch) throws InterruptedException {
    waiting.addAndGet(batch.size());
    try {
      synchronized (lock) {
        while (!open) {
          lock.wait();
        }
      }
      delegate.write(batch);
    } finally {
      waiting.addAndGet(-batch.size());
    }
  }

  @Override
  public boolean isThreadSafe() {
    return true;
  }

  /** Closes the gate: later writes wait. */
  void hold() {
    synchronized (lock) {
      open = false;
    }
  }

  /** Opens the gate: waiting writes go through. */
  void release() {
    synchronized (lock) {
      open = true;
      lock.notifyAll();
    }
  }

  /** Records inside a write that waits at the closed gate. */
  int waiting() {
    return waiting.get();
  }

  /** What passed the gate. */
  TestSink<T> written() {
    return delegate;
  }
}
