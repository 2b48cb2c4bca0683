package dev.collect.eventstore;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A running subscription started by {@link EventStore#subscribe}. Its thread reads the global log
 * from the saved checkpoint, hands each event to the handler, and saves the next position after
 * each batch. Thread-safe.
 */
public interface Subscription extends AutoCloseable {

  /** The position of the next event to handle (everything before it was handled). */
  long position();

  /** True until closed or failed. */
  boolean isRunning();

  /** Why the subscription stopped, or null while it runs or after a plain close. */
  @Nullable Throwable failure();

  /** Waits until {@link #position()} reaches {@code position}; false on timeout or failure. */
  boolean awaitPosition(long position, Duration timeout) throws InterruptedException;

  /** Stops the thread after the event in hand and saves the checkpoint; idempotent. */
  @Override
  void close();
}
