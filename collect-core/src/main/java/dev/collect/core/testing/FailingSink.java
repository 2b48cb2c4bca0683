package dev.collect.core.testing;

import dev.collect.core.Envelope;
import dev.collect.core.PipelineContext;
import dev.collect.core.RetriableCollectException;
import dev.collect.core.Sink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Wraps a sink and fails on purpose: transiently on chosen writes or for a while (an outage), and
 * permanently for records that match a predicate (poison records). Thread-safe if the delegate is.
 */
public final class FailingSink<T> implements Sink<T> {
  private final Sink<T> delegate;
  private final Predicate<Integer> failWrite;
  private final Predicate<? super T> poison;
  private final Duration outage;
  private final AtomicInteger writes = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();
  private volatile long outageEnds;

  private FailingSink(
      Sink<T> delegate,
      Predicate<Integer> failWrite,
      Predicate<? super T> poison,
      Duration outage) {
    this.delegate = delegate;
    this.failWrite = failWrite;
    this.poison = poison;
    this.outage = outage;
  }

  /** Fails write number {@code n} (1-based) transiently; the retry succeeds. */
  public static <T> FailingSink<T> failingWrite(Sink<T> delegate, int n) {
    return new FailingSink<>(delegate, i -> i == n, v -> false, Duration.ZERO);
  }

  /** Fails the first {@code count} writes transiently. */
  public static <T> FailingSink<T> failingFirst(Sink<T> delegate, int count) {
    return new FailingSink<>(delegate, i -> i <= count, v -> false, Duration.ZERO);
  }

  /** Fails every write transiently for {@code duration} from the first write on: an outage. */
  public static <T> FailingSink<T> outage(Sink<T> delegate, Duration duration) {
    return new FailingSink<>(delegate, i -> false, v -> false, duration);
  }

  /** Rejects, permanently, any batch holding a record that matches {@code poison}. */
  public static <T> FailingSink<T> rejecting(Sink<T> delegate, Predicate<? super T> poison) {
    return new FailingSink<>(delegate, i -> false, poison, Duration.ZERO);
  }

  @Override
  public String name() {
    return "failing(" + delegate.name() + ")";
  }

  @Override
  public void open(PipelineContext context) throws Exception {
    delegate.open(context);
  }

  @Override
  public void write(List<Envelope<T>> batch) throws Exception {
    int n = writes.incrementAndGet();
    if (!outage.isZero()) {
      long now = System.nanoTime();
      synchronized (this) {
        if (outageEnds == 0) {
          outageEnds = now + outage.toNanos();
        }
      }
      if (now < outageEnds) {
        failures.incrementAndGet();
        throw new RetriableCollectException("injected outage: sink unavailable");
      }
    }
    if (failWrite.test(n)) {
      failures.incrementAndGet();
      throw new RetriableCollectException("injected transient failure of write " + n);
    }
    for (Envelope<T> record : batch) {
      if (poison.test(record.value())) {
        failures.incrementAndGet();
        throw new IllegalArgumentException("injected rejection of a poison record");
      }
    }
    delegate.write(batch);
  }

  @Override
  public void flush() throws Exception {
    delegate.flush();
  }

  @Override
  public boolean isThreadSafe() {
    return delegate.isThreadSafe();
  }

  @Override
  public void close() throws Exception {
    delegate.close();
  }

  /** Writes attempted so far. */
  public int writes() {
    return writes.get();
  }

  /** Writes that failed on purpose so far. */
  public int failures() {
    return failures.get();
  }
}
