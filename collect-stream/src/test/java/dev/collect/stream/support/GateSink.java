package dev.collect.stream.support;

import dev.collect.core.Envelope;
import dev.collect.core.Sink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sink that writes its first {@code passing} batches, then blocks the next write until {@link
 * #crash()} and fails it with an {@code Error}, as a process dying in the middle of a write would:
 * what it wrote is settled, what it blocked on and everything behind it is not.
 */
public final class GateSink<T> implements Sink<T> {
  private final int passing;
  private final AtomicInteger writes = new AtomicInteger();
  private final List<T> written = new ArrayList<>();
  private final CountDownLatch blocked = new CountDownLatch(1);
  private final CountDownLatch crash = new CountDownLatch(1);

  public GateSink(int passing) {
    this.passing = passing;
  }

  /** True once a write is blocked at the gate. */
  public boolean isBlocked() {
    return blocked.getCount() == 0;
  }

  /** Fails the blocked write (and any later one). */
  public void crash() {
    crash.countDown();
  }

  /** The values of the batches that passed, in order of writing. */
  public List<T> written() {
    synchronized (written) {
      return List.copyOf(written);
    }
  }

  @Override
  public String name() {
    return "gate";
  }

  @Override
  public void write(List<Envelope<T>> batch) throws Exception {
    if (writes.incrementAndGet() <= passing) {
      synchronized (written) {
        batch.forEach(e -> written.add(e.value()));
      }
      return;
    }
    blocked.countDown();
    crash.await();
    throw new Error("sink crashed");
  }

  @Override
  public boolean isThreadSafe() {
    return true;
  }
}
