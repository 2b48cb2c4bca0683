package dev.collect.core.testing;

import dev.collect.core.Envelope;
import dev.collect.core.PipelineContext;
import dev.collect.core.Position;
import dev.collect.core.Source;
import dev.collect.core.internal.io.ListSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An in-memory, bounded source that remembers what was committed, can start from an index (as a
 * restarted source resumes from its checkpoint) and can give each record a key. Positions are
 * {@link Position#sequence(long)} indexes. Not thread-safe, like any source; the commit history may
 * be read from any thread.
 */
public final class TestSource<R> implements Source<R> {
  private final String name;
  private final List<R> values;
  private final Function<? super R, ?> keys;
  private final int from;
  private final int maxPerPoll;
  private final boolean bounded;
  private final ListSource<R> delegate;
  private final List<Long> commits = new CopyOnWriteArrayList<>();

  private TestSource(
      String name,
      List<R> values,
      Function<? super R, ?> keys,
      int from,
      int maxPerPoll,
      boolean bounded) {
    this.name = name;
    this.values = values;
    this.keys = keys;
    this.from = from;
    this.maxPerPoll = maxPerPoll;
    this.bounded = bounded;
    this.delegate = new ListSource<>(name, values, keys, from, maxPerPoll);
  }

  /** A source over {@code values}, without keys, from the first. */
  public static <R> TestSource<R> of(List<R> values) {
    return new TestSource<>("test", values, v -> null, 0, Integer.MAX_VALUE, true);
  }

  /** The same values with keys. */
  public TestSource<R> keyedBy(Function<? super R, ?> keyOf) {
    return new TestSource<>(name, values, keyOf, from, maxPerPoll, bounded);
  }

  /** The same values, starting after {@code committedIndex} as a restarted source would. */
  public TestSource<R> resumeAfter(long committedIndex) {
    return new TestSource<>(name, values, keys, (int) committedIndex + 1, maxPerPoll, bounded);
  }

  /** The same values, at most {@code max} per poll (more, smaller batches). */
  public TestSource<R> maxPerPoll(int max) {
    return new TestSource<>(name, values, keys, from, max, bounded);
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * The same values from a source that never finishes, like a topic: after the last value a poll
   * waits out its timeout (at most 10 ms) and returns nothing, so the pipeline runs, and commits,
   * until it is stopped.
   */
  public TestSource<R> unbounded() {
    return new TestSource<>(name, values, keys, from, maxPerPoll, false);
  }

  @Override
  public void open(PipelineContext context) {
    delegate.open(context);
  }

  @Override
  public List<Envelope<R>> poll(int maxRecords, Duration timeout) {
    if (!bounded && delegate.isFinished()) {
      try {
        Thread.sleep(Math.min(timeout.toMillis(), 10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return List.of();
    }
    return delegate.poll(maxRecords, timeout);
  }

  @Override
  public boolean isFinished() {
    return bounded && delegate.isFinished();
  }

  @Override
  public void commit(Position position) {
    long index = ((Position.SequencePosition) position).sequence();
    synchronized (commits) {
      if (!commits.isEmpty() && commits.get(commits.size() - 1) > index) {
        throw new IllegalStateException("commit went backwards: " + index + " after " + commits);
      }
      commits.add(index);
      commits.notifyAll();
    }
  }

  /**
   * Waits until a record at {@code index} or later was committed; false after {@code timeout}. A
   * latch for tests: no sleeping until a commit has probably happened.
   */
  public boolean awaitCommitted(long index, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (commits) {
      while (lastCommitted() < index) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(commits, left);
      }
      return true;
    }
  }

  /** The index of the last committed record, or -1. */
  public long lastCommitted() {
    return commits.isEmpty() ? -1 : commits.get(commits.size() - 1);
  }

  /** Every commit, in order. */
  public List<Long> commits() {
    return List.copyOf(commits);
  }
}
