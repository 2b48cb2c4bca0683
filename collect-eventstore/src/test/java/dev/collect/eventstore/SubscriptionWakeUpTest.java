package dev.collect.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.CheckpointStore;
import dev.collect.eventstore.internal.SubscriptionRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An idle subscription is woken by an append, not by its poll: with a 10-minute idle wait, an
 * append made while the subscription waits reaches the handler within the latch's 60 s. And closing
 * a waiting subscription ends its thread at once instead of after the wait.
 */
class SubscriptionWakeUpTest {
  static final Duration LONG_POLL = Duration.ofMinutes(10);

  @TempDir Path dir;

  @Test
  void anAppendWakesAnIdleFileSubscriptionLongBeforeItsPollInterval() throws Exception {
    try (EventStore store = EventStore.file(dir.resolve("log"))) {
      assertAppendWakesAnIdleSubscription(store, "file");
    }
  }

  @Test
  void anAppendWakesAnIdleMemorySubscriptionLongBeforeItsPollInterval() throws Exception {
    try (EventStore store = EventStore.inMemory()) {
      assertAppendWakesAnIdleSubscription(store, "memory");
    }
  }

  /** Shared with the PostgreSQL test, whose store must have a {@code pollInterval} of 10 min. */
  static void assertAppendWakesAnIdleSubscription(EventStore store, String name) throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    CountDownLatch first = new CountDownLatch(1);
    CountDownLatch second = new CountDownLatch(2);
    String threadName = "collect-eventstore-subscription-" + name;
    Subscription sub =
        SubscriptionRunner.start(
            store,
            name,
            CheckpointStore.inMemory(),
            e -> {
              seen.add(new String(e.data(), StandardCharsets.UTF_8));
              first.countDown();
              second.countDown();
            },
            512,
            LONG_POLL);
    Thread thread = awaitWaiting(threadName);
    try {
      store.append("s", ExpectedVersion.any(), EventData.of("T", bytes("first")));
      assertThat(first.await(60, TimeUnit.SECONDS)).as("woken by the first append").isTrue();
      awaitWaiting(threadName);

      store.append("s", ExpectedVersion.any(), EventData.of("T", bytes("second")));

      assertThat(second.await(60, TimeUnit.SECONDS)).as("woken by the second append").isTrue();
      assertThat(seen).containsExactly("first", "second");
    } finally {
      awaitWaiting(threadName);
      sub.close();
    }
    assertThat(thread.isAlive()).as("a waiting subscription ends when closed").isFalse();
    assertThat(sub.isRunning()).isFalse();
  }

  /** The subscription's thread, once it waits for an append (after its read found nothing). */
  private static Thread awaitWaiting(String threadName) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().equals(threadName) && t.getState() == Thread.State.TIMED_WAITING) {
          return t;
        }
      }
      Thread.sleep(5);
    }
    throw new AssertionError("subscription thread " + threadName + " never waited");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
