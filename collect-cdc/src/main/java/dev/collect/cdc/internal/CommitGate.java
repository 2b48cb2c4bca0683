package dev.collect.cdc.internal;

import io.debezium.engine.spi.OffsetCommitPolicy;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * The engine's offset commit policy: it commits only when the source asks from inside {@link
 * #commitNow}, never on the engine's own schedule. The engine's polling loop otherwise flushes on
 * idle polls; with this gate every flush carries only records the pipeline settled.
 */
final class CommitGate implements OffsetCommitPolicy {
  private final ThreadLocal<Boolean> open = ThreadLocal.withInitial(() -> Boolean.FALSE);

  @Override
  public boolean performCommit(long numberOfMessagesSinceLastCommit, Duration timeSinceLastCommit) {
    return open.get();
  }

  /** Runs {@code action} with commits allowed on this thread. */
  <T> T commitNow(Callable<T> action) throws Exception {
    open.set(Boolean.TRUE);
    try {
      return action.call();
    } finally {
      open.set(Boolean.FALSE);
    }
  }
}
