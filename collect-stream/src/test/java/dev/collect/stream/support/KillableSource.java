package dev.collect.stream.support;

import dev.collect.core.Envelope;
import dev.collect.core.PipelineContext;
import dev.collect.core.Position;
import dev.collect.core.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Wraps a source to simulate a killed process: after {@link #kill()} nothing is committed any more
 * and the next poll fails fatally, so whatever the instance had not committed is left to the rest
 * of the group, exactly as after {@code kill -9}.
 */
public final class KillableSource<R> implements Source<R> {
  private final Source<R> delegate;
  private volatile boolean killed;
  private volatile Position lastCommitted;
  private final List<Position> delivered = new ArrayList<>();

  public KillableSource(Source<R> delegate) {
    this.delegate = delegate;
  }

  public void kill() {
    killed = true;
  }

  /** The positions of every record handed to the pipeline, in order. */
  public List<Position> delivered() {
    synchronized (delivered) {
      return List.copyOf(delivered);
    }
  }

  /** How many records were handed to the pipeline. */
  public int deliveredCount() {
    synchronized (delivered) {
      return delivered.size();
    }
  }

  /** The last position committed before the kill. */
  public Position lastCommitted() {
    return lastCommitted;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public void open(PipelineContext context) throws Exception {
    delegate.open(context);
  }

  @Override
  public List<Envelope<R>> poll(int maxRecords, Duration timeout) throws Exception {
    if (killed) {
      throw new Error("killed");
    }
    return record(delegate.poll(maxRecords, timeout));
  }

  @Override
  public List<Envelope<R>> poll(int maxRecords, long maxBytes, Duration timeout) throws Exception {
    if (killed) {
      throw new Error("killed");
    }
    return record(delegate.poll(maxRecords, maxBytes, timeout));
  }

  private List<Envelope<R>> record(List<Envelope<R>> batch) {
    synchronized (delivered) {
      for (Envelope<R> e : batch) {
        delivered.add(e.position());
      }
    }
    return batch;
  }

  @Override
  public boolean isFinished() {
    return delegate.isFinished();
  }

  @Override
  public void commit(Position position) throws Exception {
    if (!killed) {
      delegate.commit(position);
      lastCommitted = position;
    }
  }

  @Override
  public void close() throws Exception {
    delegate.close();
  }
}
