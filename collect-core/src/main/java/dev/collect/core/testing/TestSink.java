package dev.collect.core.testing;

import dev.collect.core.Envelope;
import dev.collect.core.Sink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Keeps everything written to it, in write order, with helpers for assertions. Thread-safe. */
public final class TestSink<T> implements Sink<T> {
  private final String name;
  private final List<Envelope<T>> records = Collections.synchronizedList(new ArrayList<>());
  private volatile int flushes;

  public TestSink() {
    this("test-sink");
  }

  public TestSink(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void write(List<Envelope<T>> batch) {
    records.addAll(batch);
  }

  @Override
  public void flush() {
    flushes++;
  }

  @Override
  public boolean isThreadSafe() {
    return true;
  }

  /** The written envelopes, in order. */
  public List<Envelope<T>> envelopes() {
    synchronized (records) {
      return List.copyOf(records);
    }
  }

  /** The written values, in order. */
  public List<T> values() {
    synchronized (records) {
      List<T> out = new ArrayList<>(records.size());
      for (Envelope<T> e : records) {
        out.add(e.value());
      }
      return out;
    }
  }

  /** How many records were written. */
  public int size() {
    return records.size();
  }

  /** How many times the sink was flushed. */
  public int flushes() {
    return flushes;
  }

  /** Waits until at least {@code count} records were written; false after {@code timeout}. */
  public boolean awaitSize(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (records.size() < count) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }
}
