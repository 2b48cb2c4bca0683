package dev.collect.core.testing;

import dev.collect.core.Envelope;
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
  private final ListSource<R> delegate;
  private final List<Long> commits = new CopyOnWriteArrayList<>();

  private TestSource(
      String name, List<R> values, Function<? super R, ?> keys, int from, int maxPerPoll) {
    this.name = name;
    this.values = values;
    this.keys = keys;
    this.from = from;
    this.maxPerPoll = maxPerPoll;
    this.delegate = new ListSource<>(name, values, keys, from, maxPerPoll);
  }

  /** A source over {@code values}, without keys, from the first. */
  public static <R> TestSource<R> of(List<R> values) {
    return new TestSource<>("test", values, v -> null, 0, Integer.MAX_VALUE);
  }

  /** The same values with keys. */
  public TestSource<R> keyedBy(Function<? super R, ?> keyOf) {
    return new TestSource<>(name, values, keyOf, from, maxPerPoll);
  }

  /** The same values, starting after {@code committedIndex} as a restarted source would. */
  public TestSource<R> resumeAfter(long committedIndex) {
    return new TestSource<>(name, values, keys, (int) committedIndex + 1, maxPerPoll);
  }

  /** The same values, at most {@code max} per poll (more, smaller batches). */
  public TestSource<R> maxPerPoll(int max) {
    return new TestSource<>(name, values, keys, from, max);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<Envelope<R>> poll(int maxRecords, Duration timeout) {
    return delegate.poll(maxRecords, timeout);
  }

  @Override
  public boolean isFinished() {
    return delegate.isFinished();
  }

  @Override
  public void commit(Position position) {
    long index = ((Position.SequencePosition) position).sequence();
    if (!commits.isEmpty() && commits.get(commits.size() - 1) > index) {
      throw new IllegalStateException("commit went backwards: " + index + " after " + commits);
    }
    commits.add(index);
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
