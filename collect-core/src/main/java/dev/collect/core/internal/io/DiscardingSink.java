package dev.collect.core.internal.io;

import dev.collect.core.Envelope;
import dev.collect.core.Sink;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** Counts and drops records: for benchmarks and dry runs. */
public final class DiscardingSink<T> implements Sink<T> {
  private final LongAdder count = new LongAdder();

  @Override
  public String name() {
    return "discard";
  }

  @Override
  public void write(List<Envelope<T>> batch) {
    count.add(batch.size());
  }

  @Override
  public boolean isIdempotent() {
    return true;
  }

  @Override
  public boolean isThreadSafe() {
    return true;
  }

  /** Records dropped so far. */
  public long count() {
    return count.sum();
  }
}
