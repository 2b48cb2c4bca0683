package dev.collect.core.internal.runtime;

import dev.collect.core.Envelope;
import dev.collect.core.PipelineContext;
import dev.collect.core.Sink;
import java.util.List;

/** Gives a sink that is not thread-safe one caller at a time. */
public final class SerializedSink<T> implements Sink<T> {
  private final Sink<T> delegate;

  private SerializedSink(Sink<T> delegate) {
    this.delegate = delegate;
  }

  /** {@code sink} itself when it is thread-safe, else a serialising wrapper. */
  public static <T> Sink<T> wrapIfNeeded(Sink<T> sink) {
    return sink.isThreadSafe() ? sink : new SerializedSink<>(sink);
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public synchronized void open(PipelineContext context) throws Exception {
    delegate.open(context);
  }

  @Override
  public synchronized void write(List<Envelope<T>> batch) throws Exception {
    delegate.write(batch);
  }

  @Override
  public synchronized void flush() throws Exception {
    delegate.flush();
  }

  @Override
  public boolean isIdempotent() {
    return delegate.isIdempotent();
  }

  @Override
  public boolean isThreadSafe() {
    return true;
  }

  @Override
  public synchronized void close() throws Exception {
    delegate.close();
  }
}
