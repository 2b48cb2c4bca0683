package dev.collect.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.collect.core.CheckpointStore;
import dev.collect.core.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The behaviour every {@link EventStore} backend must have; one subclass per backend. */
@Timeout(120)
abstract class EventStoreContract {

  protected EventStore store;

  /** A fresh, empty store. */
  protected abstract EventStore newStore() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  static EventData event(String type, String text) {
    return EventData.builder(type, text.getBytes(StandardCharsets.UTF_8)).build();
  }

  static String text(RecordedEvent e) {
    return new String(e.data(), StandardCharsets.UTF_8);
  }

  @Test
  void appendsAndReadsAStreamForwardsAndBackwards() {
    AppendResult first =
        store.append(
            "order-1", ExpectedVersion.noStream(), event("Placed", "a"), event("Paid", "b"));
    AppendResult second = store.append("order-1", ExpectedVersion.exactly(1), event("Sent", "c"));

    assertThat(first).isEqualTo(new AppendResult("order-1", 0, 1, 0, false));
    assertThat(second.firstVersion()).isEqualTo(2);
    assertThat(store.streamVersion("order-1")).isEqualTo(2);
    assertThat(store.readStream("order-1", 0, 10))
        .extracting(EventStoreContract::text)
        .containsExactly("a", "b", "c");
    assertThat(store.readStream("order-1", 1, 1))
        .extracting(EventStoreContract::text)
        .containsExactly("b");
    assertThat(store.readStreamBackwards("order-1", Long.MAX_VALUE, 2))
        .extracting(RecordedEvent::streamVersion)
        .containsExactly(2L, 1L);
    assertThat(store.readStream("missing", 0, 10)).isEmpty();
    assertThat(store.streamVersion("missing")).isEqualTo(-1);
  }

  @Test
  void expectedVersionMismatchIsRefusedAndStoresNothing() {
    store.append("s", ExpectedVersion.noStream(), event("A", "1"));

    assertThatThrownBy(() -> store.append("s", ExpectedVersion.noStream(), event("A", "2")))
        .isInstanceOf(ConcurrencyException.class)
        .hasMessageContaining("stream 's'");
    assertThatThrownBy(() -> store.append("s", ExpectedVersion.exactly(5), event("A", "3")))
        .isInstanceOfSatisfying(
            ConcurrencyException.class, e -> assertThat(e.actualVersion()).isZero());
    assertThatThrownBy(() -> store.append("new", ExpectedVersion.exactly(0), event("A", "4")))
        .isInstanceOf(ConcurrencyException.class);
    store.append("s", ExpectedVersion.any(), event("A", "5"));

    assertThat(store.readAll(0, 10)).extracting(EventStoreContract::text).containsExactly("1", "5");
    assertThat(store.headPosition()).isEqualTo(2);
  }

  @Test
  void aRetriedAppendWithTheSameIdsIsAcceptedOnce() {
    List<EventData> batch = List.of(event("A", "1"), event("B", "2"));
    AppendResult original = store.append("s", ExpectedVersion.noStream(), batch);

    AppendResult retry = store.append("s", ExpectedVersion.noStream(), batch);

    assertThat(retry.duplicate()).isTrue();
    assertThat(retry.firstVersion()).isEqualTo(original.firstVersion());
    assertThat(retry.firstPosition()).isEqualTo(original.firstPosition());
    assertThat(store.headPosition()).isEqualTo(2);
    assertThatThrownBy(
            () -> store.append("s", ExpectedVersion.any(), List.of(batch.get(1), event("C", "3"))))
        .isInstanceOf(ConcurrencyException.class);
    assertThatThrownBy(() -> store.append("other", ExpectedVersion.any(), batch))
        .isInstanceOf(ConcurrencyException.class);
    assertThat(store.headPosition()).isEqualTo(2);
  }

  @Test
  void asyncAppendsOfManyStreamsAllLandAndReportConflicts() {
    store.append("taken", ExpectedVersion.noStream(), event("A", "0"));
    List<java.util.concurrent.CompletableFuture<AppendResult>> started =
        new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      started.add(
          store.appendAsync("s-" + i, ExpectedVersion.noStream(), List.of(event("A", "x" + i))));
    }
    var conflict = store.appendAsync("taken", ExpectedVersion.noStream(), List.of(event("B", "1")));

    for (int i = 0; i < 50; i++) {
      assertThat(started.get(i).join().firstVersion()).isZero();
      assertThat(store.readStream("s-" + i, 0, 10)).hasSize(1);
    }
    assertThatThrownBy(conflict::join).hasCauseInstanceOf(ConcurrencyException.class);
    assertThat(store.headPosition()).isEqualTo(51);
  }

  @Test
  void metadataRoundTripsExactlyAloneAndInABatch() {
    Instant occurred = Instant.parse("2026-01-02T03:04:05.123456789Z");
    Instant before = Instant.now().minusSeconds(5);

    // one event alone and two in a batch: a backend may store them by different paths
    store.append("s", ExpectedVersion.any(), placed("id-1", occurred));
    store.append(
        "s", ExpectedVersion.any(), List.of(placed("id-2", occurred), placed("id-3", occurred)));

    List<RecordedEvent> all = store.readAll(0, 10);
    assertThat(all).extracting(RecordedEvent::eventId).containsExactly("id-1", "id-2", "id-3");
    for (RecordedEvent e : all) {
      assertThat(e.type()).isEqualTo("Placed");
      assertThat(e.schemaVersion()).isEqualTo(3);
      assertThat(e.occurredAt()).isEqualTo(occurred);
      assertThat(e.correlationId()).isEqualTo("corr");
      assertThat(e.causationId()).isEqualTo("cause");
      assertThat(e.streamId()).isEqualTo("s");
      assertThat(e.recordedAt()).isAfter(before);
      assertThat(e.erased()).isFalse();
      assertThat(text(e)).isEqualTo("{\"x\":1}");
    }
    assertThat(all).extracting(RecordedEvent::streamVersion).containsExactly(0L, 1L, 2L);
  }

  private static EventData placed(String id, Instant occurred) {
    return EventData.builder("Placed", "{\"x\":1}".getBytes(StandardCharsets.UTF_8))
        .eventId(id)
        .schemaVersion(3)
        .occurredAt(occurred)
        .correlationId("corr")
        .causationId("cause")
        .build();
  }

  @Test
  void aRetriedSingleEventIsAcceptedOnce() {
    EventData once = event("A", "1");
    AppendResult original = store.append("s", ExpectedVersion.noStream(), once);

    AppendResult retry = store.append("s", ExpectedVersion.noStream(), once);
    AppendResult retryAny = store.append("s", ExpectedVersion.any(), once);

    assertThat(retry.duplicate()).isTrue();
    assertThat(retryAny.duplicate()).isTrue();
    assertThat(retry.firstPosition()).isEqualTo(original.firstPosition());
    assertThat(retryAny.firstVersion()).isEqualTo(original.firstVersion());
    assertThatThrownBy(() -> store.append("other", ExpectedVersion.any(), once))
        .isInstanceOf(ConcurrencyException.class);
    assertThat(store.readAll(0, 10)).hasSize(1);
  }

  @Test
  void badInputIsRejectedWithAClearMessage() {
    assertThatThrownBy(() -> store.append("", ExpectedVersion.any(), event("A", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("streamId");
    assertThatThrownBy(() -> store.append(null, ExpectedVersion.any(), event("A", "1")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.append("s", ExpectedVersion.any(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one event");
    EventData e = event("A", "1");
    assertThatThrownBy(() -> store.append("s", ExpectedVersion.any(), e, e))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> EventData.builder("", new byte[0]).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                store.append(
                    "s",
                    ExpectedVersion.any(),
                    EventData.of(
                        "Big", new byte[FileEventStoreConfig.DEFAULT_MAX_EVENT_BYTES + 1])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxEventBytes");
    assertThat(store.headPosition()).isZero();
  }

  @Test
  void textThatCannotRoundTripIsRejected() {
    assertThatThrownBy(() -> store.append("broken\uD800", ExpectedVersion.any(), event("A", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("streamId");
    assertThatThrownBy(() -> store.append("nul\u0000", ExpectedVersion.any(), event("A", "1")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.append("s", ExpectedVersion.any(), event("Bad\uDC00", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("type");
    store.append("ünïcødé-流", ExpectedVersion.any(), event("Tÿpe", "ok"));

    assertThat(store.readStream("ünïcødé-流", 0, 1))
        .extracting(RecordedEvent::type)
        .containsExactly("Tÿpe");
    assertThat(store.headPosition()).isOne();
  }

  @Test
  void aPayloadTheTypedHandlerCannotReadStopsTheSubscriptionVisibly() throws Exception {
    store.append("o1", ExpectedVersion.any(), EventData.json("Placed", new Placed("o1", 1)));
    store.append(
        "o1",
        ExpectedVersion.any(),
        EventData.of("Placed", "{\"order\": [not json".getBytes(StandardCharsets.UTF_8)));
    List<Placed> seen = new CopyOnWriteArrayList<>();
    EventHandler handler =
        TypedEventHandler.builder().on("Placed", Placed.class, (p, e) -> seen.add(p)).build();

    Subscription sub = store.subscribe("strict", CheckpointStore.inMemory(), handler);
    sub.awaitPosition(2, Duration.ofSeconds(2));
    sub.close();

    assertThat(seen).containsExactly(new Placed("o1", 1));
    assertThat(sub.position()).isEqualTo(1);
    assertThat(sub.failure()).hasMessageContaining("is not a");
  }

  @Test
  void anUpcasterThatCannotApplyFailsTheReadWithTheEventNamed() {
    store.append(
        "o1",
        ExpectedVersion.any(),
        EventData.of("Placed", "[1,2]".getBytes(StandardCharsets.UTF_8)));
    EventStore upcasting =
        store.withUpcasters(Upcasters.builder().add("Placed", 1, json -> json).build());

    assertThatThrownBy(() -> upcasting.readAll(0, 10))
        .isInstanceOf(EventStoreException.class)
        .hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> Upcasters.builder().add("A", 1, j -> j).add("A", 1, j -> j))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsTheGlobalLogAndTimeRangesInOrder() throws Exception {
    store.append("a", ExpectedVersion.any(), event("T", "a0"), event("T", "a1"));
    Thread.sleep(3);
    store.append("b", ExpectedVersion.any(), event("T", "b0"));
    store.append("a", ExpectedVersion.any(), event("T", "a2"));
    Thread.sleep(3);
    store.append("c", ExpectedVersion.any(), event("T", "c0"));

    List<RecordedEvent> all = store.readAll(0, 100);
    assertThat(all).extracting(RecordedEvent::position).containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThat(all)
        .extracting(EventStoreContract::text)
        .containsExactly("a0", "a1", "b0", "a2", "c0");
    assertThat(store.readAll(3, 100))
        .extracting(EventStoreContract::text)
        .containsExactly("a2", "c0");
    assertThat(store.readAll(5, 100)).isEmpty();
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i).recordedAt()).isAfterOrEqualTo(all.get(i - 1).recordedAt());
    }
    Instant from = all.get(2).recordedAt();
    Instant to = all.get(4).recordedAt();
    assertThat(store.positionAt(from)).isEqualTo(2);
    assertThat(store.positionAt(to.plusSeconds(1))).isEqualTo(5);
    assertThat(store.readByTime(from, to, 0, 100))
        .extracting(EventStoreContract::text)
        .containsExactly("b0", "a2");
    assertThat(store.readByTime(from, to, 3, 100))
        .extracting(EventStoreContract::text)
        .containsExactly("a2");
  }

  @Test
  void concurrentAppendersLoseNothingDuplicateNothingAndKeepOrder() throws Exception {
    int threads = 8;
    int perThread = concurrencyAppendsPerThread();
    List<String> acknowledged = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  boolean shared = i % 2 == 0;
                  String stream = shared ? "shared-" + (i % 3) : "own-" + thread;
                  EventData e1 = event("T", thread + ":" + i + ":0");
                  EventData e2 = event("T", thread + ":" + i + ":1");
                  while (true) {
                    long version = store.streamVersion(stream);
                    try {
                      store.append(
                          stream,
                          version < 0
                              ? ExpectedVersion.noStream()
                              : ExpectedVersion.exactly(version),
                          e1,
                          e2);
                      acknowledged.add(e1.eventId());
                      acknowledged.add(e2.eventId());
                      break;
                    } catch (ConcurrencyException conflict) {
                      // another writer got there first: read the new version and retry
                    }
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : futures) {
      f.get(100, TimeUnit.SECONDS);
    }
    pool.shutdown();

    List<RecordedEvent> all = store.readAll(0, Integer.MAX_VALUE);
    assertThat(all).hasSize(threads * perThread * 2);
    assertThat(all)
        .extracting(RecordedEvent::eventId)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(acknowledged);
    Map<String, List<RecordedEvent>> byStream = new HashMap<>();
    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i).position()).isEqualTo(i);
      byStream.computeIfAbsent(all.get(i).streamId(), s -> new ArrayList<>()).add(all.get(i));
    }
    for (Map.Entry<String, List<RecordedEvent>> s : byStream.entrySet()) {
      List<RecordedEvent> inLog = s.getValue();
      for (int v = 0; v < inLog.size(); v++) {
        assertThat(inLog.get(v).streamVersion()).isEqualTo(v);
      }
      assertThat(store.readStream(s.getKey(), 0, Integer.MAX_VALUE)).isEqualTo(inLog);
      // each append's two events are adjacent in the stream: appends are atomic
      for (int v = 0; v < inLog.size(); v += 2) {
        assertThat(text(inLog.get(v + 1))).isEqualTo(text(inLog.get(v)).replaceAll(":0$", ":1"));
      }
    }
  }

  @Test
  void ofManyWritersRacingForTheSameVersionExactlyOneWins() throws Exception {
    int threads = 8;
    for (int round = 0; round < 5; round++) {
      String stream = "race-" + round;
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<Boolean>> outcomes = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        outcomes.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    store.append(stream, ExpectedVersion.noStream(), event("T", "w" + thread));
                    return true;
                  } catch (ConcurrencyException conflict) {
                    return false;
                  }
                }));
      }
      int winners = 0;
      for (Future<Boolean> f : outcomes) {
        winners += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
      }
      pool.shutdown();

      assertThat(winners).isOne();
      assertThat(store.readStream(stream, 0, 100)).hasSize(1);
    }
    assertThat(store.headPosition()).isEqualTo(5);
  }

  @Test
  void readersNeverSeeAnEventBeforeOneWithALowerPositionStillToAppear() throws Exception {
    // Writers append batches of 1 to 3 events to streams of their own and to shared ones while a
    // follower, a re-reader and a subscription read the global log. Every read must be a gap-free
    // run of positions from where it started, hold every position below the head read just before
    // it, and never show another event at a position seen before.
    int writers = 4;
    int appendsPerWriter = concurrencyAppendsPerThread() / 2;
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    Map<Long, String> seenAt = new ConcurrentHashMap<>();
    List<String> violations = new CopyOnWriteArrayList<>();
    List<String> delivered = new CopyOnWriteArrayList<>();
    long[] nextDelivered = {0};
    AtomicBoolean writing = new AtomicBoolean(true);
    CountDownLatch readersStarted = new CountDownLatch(2);
    ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
    Subscription sub =
        store.subscribe(
            "in-order",
            CheckpointStore.inMemory(),
            e -> {
              if (e.position() != nextDelivered[0]) {
                violations.add("subscription got " + e.position() + ", not " + nextDelivered[0]);
              }
              nextDelivered[0] = e.position() + 1;
              delivered.add(e.eventId());
            });
    try {
      Future<List<String>> follower =
          pool.submit(
              () -> {
                List<String> ids = new ArrayList<>();
                readersStarted.countDown();
                boolean last = false;
                while (!last) {
                  last = !writing.get(); // one more pass after the writers ended
                  while (true) {
                    long head = store.headPosition();
                    List<RecordedEvent> page = store.readAll(ids.size(), 64);
                    checkRun(
                        page, ids.size(), Math.min(head, ids.size() + 64L), seenAt, violations);
                    if (page.isEmpty()) {
                      Thread.yield();
                      break;
                    }
                    page.forEach(e -> ids.add(e.eventId()));
                  }
                }
                return ids;
              });
      Future<Integer> rereader =
          pool.submit(
              () -> {
                java.util.Random random = new java.util.Random(42);
                int reads = 0;
                readersStarted.countDown();
                while (writing.get()) {
                  long head = store.headPosition();
                  long from = head == 0 ? 0 : random.nextInt((int) head + 1);
                  List<RecordedEvent> page = store.readAll(from, 500);
                  checkRun(page, from, Math.min(head, from + 500), seenAt, violations);
                  reads++;
                }
                return reads;
              });
      readersStarted.await(30, TimeUnit.SECONDS);
      List<Future<?>> appenders = new ArrayList<>();
      for (int t = 0; t < writers; t++) {
        int writer = t;
        appenders.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < appendsPerWriter; i++) {
                    List<EventData> batch = new ArrayList<>();
                    for (int n = 0; n <= (writer + i) % 3; n++) {
                      batch.add(event("T", writer + ":" + i + ":" + n));
                    }
                    String stream = i % 2 == 0 ? "own-" + writer : "shared-" + (i % 3);
                    store.append(stream, ExpectedVersion.any(), batch);
                    batch.forEach(e -> acknowledged.add(e.eventId()));
                  }
                  return null;
                }));
      }
      try {
        for (Future<?> f : appenders) {
          f.get(100, TimeUnit.SECONDS);
        }
      } finally {
        writing.set(false);
      }
      List<String> followed = follower.get(60, TimeUnit.SECONDS);
      rereader.get(60, TimeUnit.SECONDS);
      assertThat(sub.awaitPosition(acknowledged.size(), Duration.ofSeconds(60))).isTrue();

      List<RecordedEvent> all = store.readAll(0, Integer.MAX_VALUE);
      assertThat(violations).isEmpty();
      for (int i = 0; i < all.size(); i++) {
        assertThat(all.get(i).position()).isEqualTo(i);
      }
      assertThat(all)
          .extracting(RecordedEvent::eventId)
          .containsExactlyInAnyOrderElementsOf(acknowledged);
      List<String> logOrder = all.stream().map(RecordedEvent::eventId).toList();
      assertThat(followed).isEqualTo(logOrder);
      assertThat(delivered).isEqualTo(logOrder);
      assertThat(store.headPosition()).isEqualTo(all.size());
    } finally {
      writing.set(false);
      sub.close();
      pool.shutdownNow();
    }
  }

  /**
   * Records in {@code violations} what breaks the order promise in one read from {@code from}: a
   * position out of its place, fewer events than the head read before it promised ({@code
   * atLeastUpTo}), or another event where one was seen before.
   */
  private static void checkRun(
      List<RecordedEvent> page,
      long from,
      long atLeastUpTo,
      Map<Long, String> seenAt,
      List<String> violations) {
    for (int i = 0; i < page.size(); i++) {
      RecordedEvent e = page.get(i);
      if (e.position() != from + i) {
        violations.add("read from " + from + " got position " + e.position() + " at index " + i);
        return;
      }
      String before = seenAt.putIfAbsent(e.position(), e.eventId());
      if (before != null && !before.equals(e.eventId())) {
        violations.add("position " + e.position() + " held " + before + ", now " + e.eventId());
      }
    }
    if (from + page.size() < atLeastUpTo) {
      violations.add(
          "read from " + from + " got " + page.size() + " events below a head of " + atLeastUpTo);
    }
  }

  /**
   * Appends to {@code store} while {@code clock} (the store's clock) steps back by an hour, forward
   * by a second and back by 30 seconds, starting at {@code noon}; returns the events appended.
   */
  static List<RecordedEvent> appendWhileTheClockStepsBack(
      EventStore store, TestClock clock, Instant noon) {
    long first = store.headPosition();
    clock.set(noon);
    store.append("s", ExpectedVersion.any(), event("T", "at noon"));
    clock.set(noon.minus(Duration.ofHours(1)));
    store.append("s", ExpectedVersion.any(), event("T", "clock an hour back"));
    clock.set(noon.plusSeconds(1));
    store.append("s", ExpectedVersion.any(), event("T", "clock a second after noon"));
    clock.set(noon.minusSeconds(30));
    store.append("s", ExpectedVersion.any(), event("T", "clock 30 s before noon"), event("T", "2"));
    return store.readAll(first, Integer.MAX_VALUE);
  }

  /** The key store crypto-shredding uses with this backend. */
  protected EntityKeyStore newKeyStore() {
    return EntityKeyStore.inMemory();
  }

  protected int concurrencyAppendsPerThread() {
    return 200;
  }

  @Test
  void theVersionReadFromTheStoreIsTheExpectedVersionEvenForANewStream() {
    long before = store.streamVersion("fresh");

    AppendResult first = store.append("fresh", ExpectedVersion.exactly(before), event("A", "1"));

    assertThat(before).isEqualTo(ExpectedVersion.NO_STREAM);
    assertThat(ExpectedVersion.exactly(before)).isEqualTo(ExpectedVersion.noStream());
    assertThat(first.lastVersion()).isZero();
    assertThatThrownBy(
            () -> store.append("fresh", ExpectedVersion.exactly(before), event("A", "2")))
        .isInstanceOf(ConcurrencyException.class);
    assertThatThrownBy(() -> ExpectedVersion.exactly(-2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("version must be >= -1, but was -2");
    assertThat(store.streamVersion("fresh")).isZero();
  }

  @Test
  void aStaleExpectedVersionFromAnotherWriterIsDetected() {
    store.append("s", ExpectedVersion.noStream(), event("A", "1"));
    long seenByWriterA = store.streamVersion("s");
    store.append("s", ExpectedVersion.exactly(seenByWriterA), event("A", "from B"));

    assertThatThrownBy(
            () -> store.append("s", ExpectedVersion.exactly(seenByWriterA), event("A", "from A")))
        .isInstanceOf(ConcurrencyException.class);
    assertThat(store.readStream("s", 0, 10))
        .extracting(EventStoreContract::text)
        .containsExactly("1", "from B");
  }

  @Test
  void aSubscriptionCatchesUpFollowsAndResumesFromItsCheckpoint() throws Exception {
    CheckpointStore checkpoints = CheckpointStore.inMemory();
    for (int i = 0; i < 10; i++) {
      store.append("s" + (i % 3), ExpectedVersion.any(), event("T", "e" + i));
    }
    List<String> seen = new CopyOnWriteArrayList<>();

    try (Subscription sub = store.subscribe("audit", checkpoints, e -> seen.add(text(e)))) {
      assertThat(sub.awaitPosition(10, Duration.ofSeconds(10))).isTrue();
      store.append("live", ExpectedVersion.any(), event("T", "e10"), event("T", "e11"));
      assertThat(sub.awaitPosition(12, Duration.ofSeconds(10))).isTrue();
    }
    store.append("later", ExpectedVersion.any(), event("T", "e12"));
    try (Subscription sub = store.subscribe("audit", checkpoints, e -> seen.add(text(e)))) {
      assertThat(sub.awaitPosition(13, Duration.ofSeconds(10))).isTrue();
    }

    List<String> expected = new ArrayList<>();
    for (int i = 0; i <= 12; i++) {
      expected.add("e" + i);
    }
    assertThat(seen).containsExactlyElementsOf(expected);
    assertThat(checkpoints.load(dev.collect.eventstore.internal.SubscriptionRunner.key("audit")))
        .contains("13");
  }

  @Test
  void aFailingHandlerStopsTheSubscriptionBeforeTheFailedEvent() throws Exception {
    CheckpointStore checkpoints = CheckpointStore.inMemory();
    for (int i = 0; i < 5; i++) {
      store.append("s", ExpectedVersion.any(), event("T", "e" + i));
    }

    Subscription sub =
        store.subscribe(
            "fragile",
            checkpoints,
            e -> {
              if (text(e).equals("e3")) {
                throw new IllegalStateException("handler bug");
              }
            });
    sub.awaitPosition(5, Duration.ofSeconds(2));
    sub.close();

    assertThat(sub.isRunning()).isFalse();
    assertThat(sub.failure()).isInstanceOf(IllegalStateException.class);
    assertThat(sub.position()).isEqualTo(3);
    assertThat(checkpoints.load(dev.collect.eventstore.internal.SubscriptionRunner.key("fragile")))
        .contains("3");
  }

  record Placed(String order, int total) {}

  record Paid(String order) {}

  @Test
  void typedHandlersGetTheirPayloadAsAJavaType() throws Exception {
    store.append("o1", ExpectedVersion.any(), EventData.json("Placed", new Placed("o1", 30)));
    store.append("o1", ExpectedVersion.any(), EventData.json("Paid", new Paid("o1")));
    store.append("o1", ExpectedVersion.any(), EventData.json("Unknown", new Paid("o1")));
    List<Object> seen = new CopyOnWriteArrayList<>();
    List<String> others = new CopyOnWriteArrayList<>();
    EventHandler handler =
        TypedEventHandler.builder()
            .on("Placed", Placed.class, (p, e) -> seen.add(p))
            .on("Paid", Paid.class, (p, e) -> seen.add(p))
            .otherwise(e -> others.add(e.type()))
            .build();

    try (Subscription sub = store.subscribe("typed", CheckpointStore.inMemory(), handler)) {
      assertThat(sub.awaitPosition(3, Duration.ofSeconds(10))).isTrue();
    }

    assertThat(seen).containsExactly(new Placed("o1", 30), new Paid("o1"));
    assertThat(others).containsExactly("Unknown");
  }

  @Test
  void upcastersTurnOldVersionsIntoTheCurrentOneOnRead() {
    store.append(
        "o1",
        ExpectedVersion.any(),
        EventData.builder("Placed", "{\"order\":\"o1\"}".getBytes(StandardCharsets.UTF_8)).build(),
        EventData.builder(
                "Placed", "{\"order\":\"o2\",\"total\":7}".getBytes(StandardCharsets.UTF_8))
            .schemaVersion(2)
            .build());
    EventStore upcasting =
        store.withUpcasters(
            Upcasters.builder().add("Placed", 1, json -> json.put("total", 0)).build());

    List<RecordedEvent> events = upcasting.readStream("o1", 0, 10);

    assertThat(events).extracting(RecordedEvent::schemaVersion).containsExactly(2, 2);
    assertThat(events.get(0).dataAs(Placed.class)).isEqualTo(new Placed("o1", 0));
    assertThat(events.get(1).dataAs(Placed.class)).isEqualTo(new Placed("o2", 7));
    assertThat(store.readStream("o1", 0, 1).get(0).schemaVersion()).isEqualTo(1);
  }

  @Test
  void erasingAStreamMakesItsPayloadsUnreadableWhileTheLogStaysIntact() {
    EntityKeyStore keys = newKeyStore();
    EventStore shredding = store.withCryptoShredding(keys);
    shredding.append("alice", ExpectedVersion.any(), event("Signed", "alice@example.org"));
    shredding.append("bob", ExpectedVersion.any(), event("Signed", "bob@example.org"));
    assertThat(text(store.readAll(0, 1).get(0))).doesNotContain("alice");
    assertThat(text(shredding.readAll(0, 1).get(0))).isEqualTo("alice@example.org");

    shredding.erase("alice");

    List<RecordedEvent> after = shredding.readAll(0, 10);
    assertThat(after).hasSize(2);
    assertThat(after.get(0).erased()).isTrue();
    assertThat(after.get(0).data()).isEmpty();
    assertThat(after.get(0).eventId()).isEqualTo(store.readAll(0, 1).get(0).eventId());
    assertThat(text(after.get(1))).isEqualTo("bob@example.org");
    assertThatThrownBy(() -> after.get(0).dataAs(Placed.class))
        .isInstanceOf(EventStoreException.class);
    assertThatThrownBy(() -> shredding.append("alice", ExpectedVersion.any(), event("X", "y")))
        .isInstanceOf(StreamErasedException.class);
    assertThat(store.headPosition()).isEqualTo(2);
  }
}
