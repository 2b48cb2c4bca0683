package dev.collect.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.collect.core.CheckpointStore;
import dev.collect.core.PipelineContext;
import dev.collect.core.RetriableCollectException;
import dev.collect.core.Source;
import dev.collect.eventstore.internal.NotifyingStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the PostgreSQL backend promises beyond the contract: appends of different streams in
 * parallel, a global order readers can trust while transactions commit out of position order, exact
 * optimistic concurrency from threads and processes, and the migration of the old layout.
 */
class PostgresConcurrencyIT {
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static EmbeddedPostgres postgres;
  private static DataSource pool;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "off").start();
    pool = TestConnectionPool.of(postgres.getPostgresDatabase());
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  private static String newPrefix() {
    return "pc" + ProcessHandle.current().pid() + "_" + TABLES.incrementAndGet();
  }

  private static EventStore open(DataSource dataSource, String prefix) {
    return EventStore.postgres(
        PostgresEventStoreConfig.builder(dataSource).tablePrefix(prefix).build());
  }

  private static EventData event(String text) {
    return EventData.of("T", text.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(RecordedEvent e) {
    return new String(e.data(), StandardCharsets.UTF_8);
  }

  @Test
  void aGlobalReaderWaitsForAnOlderTransactionInsteadOfSkippingIt() throws Exception {
    String prefix = newPrefix();
    HeldCommit held = new HeldCommit(pool);
    try (EventStore store = open(pool, prefix);
        EventStore slow = open(held.dataSource, prefix)) {
      List<String> delivered = new CopyOnWriteArrayList<>();
      Subscription sub =
          store.subscribe("follower", CheckpointStore.inMemory(), e -> delivered.add(text(e)));
      CompletableFuture<AppendResult> older =
          held.startAppend(slow, "a", ExpectedVersion.any(), event("older"));

      AppendResult later = store.append("b", ExpectedVersion.any(), event("later"));

      // "later" committed with a higher position while "older" is still in flight
      assertThat(later.firstPosition()).isEqualTo(1);
      assertThat(store.readStream("b", 0, 10))
          .extracting(PostgresConcurrencyIT::text)
          .containsExactly("later");
      assertThat(store.readAll(0, 10)).isEmpty();
      assertThat(store.readAll(1, 10)).isEmpty(); // not even from past the one in flight
      assertThat(store.headPosition()).isZero();
      assertThat(store.positionAt(Instant.EPOCH)).isZero();
      assertThat(sub.awaitPosition(1, Duration.ofMillis(500))).isFalse();
      assertThat(delivered).isEmpty();

      held.commit();
      assertThat(older.get(30, TimeUnit.SECONDS).firstPosition()).isZero();

      assertThat(sub.awaitPosition(2, Duration.ofSeconds(30))).isTrue();
      assertThat(delivered).containsExactly("older", "later");
      assertThat(store.readAll(0, 10)).extracting(RecordedEvent::position).containsExactly(0L, 1L);
      sub.close();
    }
  }

  @Test
  void anOlderTransactionThatRollsBackLeavesAGapThatReadersPassOver() throws Exception {
    String prefix = newPrefix();
    HeldCommit held = new HeldCommit(pool);
    try (EventStore store = open(pool, prefix);
        EventStore slow = open(held.dataSource, prefix)) {
      List<String> delivered = new CopyOnWriteArrayList<>();
      Subscription sub =
          store.subscribe("follower", CheckpointStore.inMemory(), e -> delivered.add(text(e)));
      CompletableFuture<AppendResult> older =
          held.startAppend(slow, "a", ExpectedVersion.any(), event("older"));
      store.append("b", ExpectedVersion.any(), event("later"));

      held.rollBack();

      assertThatThrownBy(() -> older.get(30, TimeUnit.SECONDS))
          .hasCauseInstanceOf(RetriableCollectException.class);
      assertThat(sub.awaitPosition(2, Duration.ofSeconds(30))).isTrue();
      assertThat(delivered).containsExactly("later");
      assertThat(store.readAll(0, 10)).extracting(RecordedEvent::position).containsExactly(1L);
      assertThat(store.headPosition()).isEqualTo(2);
      assertThat(store.streamVersion("a")).isEqualTo(-1);
      sub.close();
    }
  }

  @Test
  void anUnrelatedOpenTransactionDoesNotHoldBackReadersOfAGapFreeLog() throws Exception {
    // An open transaction that took an id (a batch job, autoanalyze, the NOTIFY of another store)
    // put the horizon below these appends: they are read at once all the same, having no gap
    // before them.
    try (EventStore store = open(pool, newPrefix());
        Connection other = pool.getConnection();
        Statement s = other.createStatement()) {
      other.setAutoCommit(false);
      s.execute("SELECT pg_current_xact_id()");
      Instant before = Instant.now().minusSeconds(1);
      List<String> delivered = new CopyOnWriteArrayList<>();

      store.append("s", ExpectedVersion.any(), event("after it"));
      store.append("t", ExpectedVersion.any(), event("and another"));
      Subscription sub =
          store.subscribe("follower", CheckpointStore.inMemory(), e -> delivered.add(text(e)));

      assertThat(store.readAll(0, 10))
          .extracting(PostgresConcurrencyIT::text)
          .containsExactly("after it", "and another");
      assertThat(store.readAll(1, 10))
          .extracting(PostgresConcurrencyIT::text)
          .containsExactly("and another");
      assertThat(store.headPosition()).isEqualTo(2);
      assertThat(store.positionAt(before)).isZero();
      assertThat(sub.awaitPosition(2, Duration.ofSeconds(30))).isTrue();
      assertThat(delivered).containsExactly("after it", "and another");
      sub.close();
      other.rollback();
    }
  }

  @Test
  void anyOpenTransactionWithAnIdHoldsReadersBackPastAGapUntilItEnds() throws Exception {
    String prefix = newPrefix();
    HeldCommit held = new HeldCommit(pool);
    try (EventStore store = open(pool, prefix);
        EventStore slow = open(held.dataSource, prefix);
        Connection other = pool.getConnection();
        Statement s = other.createStatement()) {
      other.setAutoCommit(false);
      s.execute("SELECT pg_current_xact_id()"); // an unrelated transaction that took an id
      CompletableFuture<AppendResult> failed =
          held.startAppend(slow, "a", ExpectedVersion.any(), event("rolled back"));
      held.rollBack();
      assertThatThrownBy(() -> failed.get(30, TimeUnit.SECONDS))
          .hasCauseInstanceOf(RetriableCollectException.class);

      store.append("s", ExpectedVersion.any(), event("after the gap")); // position 1

      // Position 0 may, as far as a reader can tell, belong to a transaction still running.
      assertThat(store.readStream("s", 0, 10)).hasSize(1);
      assertThat(store.readAll(0, 10)).isEmpty();
      assertThat(store.readAll(1, 10)).isEmpty();
      assertThat(store.headPosition()).isZero();
      other.commit();
      assertThat(store.readAll(0, 10))
          .extracting(PostgresConcurrencyIT::text)
          .containsExactly("after the gap");
      assertThat(store.headPosition()).isEqualTo(2);
    }
  }

  @Test
  void aBoundedReplayStopsAtTheHeadItSawAtOpenAcrossAGap() throws Exception {
    String prefix = newPrefix();
    HeldCommit held = new HeldCommit(pool);
    try (EventStore store = open(pool, prefix);
        EventStore slow = open(held.dataSource, prefix)) {
      CompletableFuture<AppendResult> failed =
          held.startAppend(slow, "a", ExpectedVersion.any(), event("rolled back"));
      held.rollBack();
      assertThatThrownBy(() -> failed.get(30, TimeUnit.SECONDS))
          .hasCauseInstanceOf(RetriableCollectException.class);
      store.append("b", ExpectedVersion.any(), event("1")); // position 1: 0 is a gap
      store.append("b", ExpectedVersion.any(), event("2"));
      Source<RecordedEvent> source =
          EventStore.source(EventStoreSourceConfig.builder(store).build());
      source.open(
          new PipelineContext("replay", new SimpleMeterRegistry(), CheckpointStore.inMemory()));

      store.append("b", ExpectedVersion.any(), event("after open"));
      List<String> replayed = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        source.poll(10, Duration.ofMillis(1)).forEach(e -> replayed.add(text(e.value())));
      }

      assertThat(replayed).containsExactly("1", "2");
    }
  }

  @Test
  void anAppendToAnotherStreamCommitsWhileOneIsInFlightAndOneToTheSameStreamWaits()
      throws Exception {
    String prefix = newPrefix();
    HeldCommit held = new HeldCommit(pool);
    try (EventStore store = open(pool, prefix);
        EventStore slow = open(held.dataSource, prefix)) {
      CompletableFuture<AppendResult> inFlight =
          held.startAppend(slow, "a", ExpectedVersion.noStream(), event("a0"));

      // a lock held until commit by every append (the old head row) would block this one
      AppendResult other =
          CompletableFuture.supplyAsync(
                  () -> store.append("b", ExpectedVersion.noStream(), event("b0")))
              .get(30, TimeUnit.SECONDS);
      CompletableFuture<AppendResult> sameStream =
          CompletableFuture.supplyAsync(
              () -> store.append("a", ExpectedVersion.any(), event("a1")));
      Thread.sleep(300);
      boolean sameStreamDoneWhileHeld = sameStream.isDone();
      held.commit();

      assertThat(other.firstVersion()).isZero();
      assertThat(sameStreamDoneWhileHeld).isFalse();
      assertThat(inFlight.get(30, TimeUnit.SECONDS).firstVersion()).isZero();
      assertThat(sameStream.get(30, TimeUnit.SECONDS).firstVersion()).isOne();
      assertThat(store.readStream("a", 0, 10))
          .extracting(PostgresConcurrencyIT::text)
          .containsExactly("a0", "a1");
    }
  }

  @Test
  void aNotificationWakesAWaitingReaderLongBeforeItsPollInterval() throws Exception {
    String prefix = newPrefix();
    try (EventStore writer = open(pool, prefix);
        EventStore reader =
            EventStore.postgres(
                PostgresEventStoreConfig.builder(pool)
                    .tablePrefix(prefix)
                    .pollInterval(Duration.ofMinutes(10))
                    .build())) {
      NotifyingStore waiting = (NotifyingStore) reader;
      // the first wait starts the listener: let it listen before the append
      waiting.awaitAppend(0, Duration.ofSeconds(1));
      assertThat(reader.readAll(0, 10)).isEmpty();
      CompletableFuture<Void> woken =
          CompletableFuture.runAsync(
              () -> {
                try {
                  waiting.awaitAppend(0, Duration.ofMinutes(10));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      Thread.sleep(200);

      writer.append("s", ExpectedVersion.any(), event("wake up"));

      woken.get(60, TimeUnit.SECONDS); // a poll would take 10 minutes
      assertThat(reader.readAll(0, 10))
          .extracting(PostgresConcurrencyIT::text)
          .containsExactly("wake up");
    }
  }

  /**
   * The driver hands a listener its notifications only once none more arrives within 1 ms, so a
   * store sends one at least 2 ms after the previous one ended, however fast it appends (README,
   * "Subscriptions are woken").
   */
  @Test
  void aStoreNotifiesAtMostOnceEveryTwoMillisecondsWhileAppendsPourIn() throws Exception {
    List<Long> started = new CopyOnWriteArrayList<>();
    List<Long> ended = new CopyOnWriteArrayList<>();
    DataSource recording =
        intercepting(
            pool,
            sql -> {
              if (sql.contains("pg_notify")) {
                started.add(System.nanoTime());
              }
            },
            sql -> {
              if (sql.contains("pg_notify")) {
                ended.add(System.nanoTime());
              }
            });
    try (EventStore writer = open(recording, newPrefix())) {
      ExecutorService appenders = Executors.newFixedThreadPool(4);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        String stream = "s" + t;
        done.add(
            appenders.submit(
                () -> {
                  for (int i = 0; i < 100; i++) {
                    writer.append(stream, ExpectedVersion.any(), event(stream + "-" + i));
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
      appenders.shutdown();
    }
    assertThat(started).hasSizeGreaterThan(1);
    // one notifier thread: each one starts after the previous one ended
    assertThat(ended).hasSizeGreaterThanOrEqualTo(started.size() - 1);
    for (int i = 1; i < started.size(); i++) {
      assertThat(started.get(i) - ended.get(i - 1))
          .as("from the end of notification %d to the start of the next", i - 1)
          .isGreaterThanOrEqualTo(2_000_000L);
    }
  }

  @Test
  void appendsThatCommitWhileANotificationIsSentShareOneNotification() throws Exception {
    AtomicInteger notifications = new AtomicInteger();
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    DataSource holdingTheFirst =
        intercepting(
            pool,
            sql -> {
              if (sql.contains("pg_notify") && notifications.incrementAndGet() == 1) {
                firstStarted.countDown();
                try {
                  releaseFirst.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            });
    try (EventStore store = open(holdingTheFirst, newPrefix())) {
      store.append("s", ExpectedVersion.any(), event("first"));
      assertThat(firstStarted.await(30, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 20; i++) {
        store.append("s" + (i % 3), ExpectedVersion.any(), event("while-" + i));
      }

      releaseFirst.countDown();

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (notifications.get() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      Thread.sleep(300); // room for a wrong third one to show
      assertThat(notifications.get())
          .as("the one in flight, then one for the 20 appends committed meanwhile")
          .isEqualTo(2);
    }
  }

  @Test
  void anAppendIsOneStatementAndASingleEventGoesToTheOneEventFunction() throws Exception {
    List<String> statements = new CopyOnWriteArrayList<>();
    String prefix = newPrefix();
    try (EventStore store = open(intercepting(pool, statements::add), prefix)) {
      statements.clear();
      store.append("s", ExpectedVersion.any(), event("one"));
      store.append("s", ExpectedVersion.any(), List.of(event("two"), event("three")));
    }
    List<String> appends =
        statements.stream().filter(sql -> sql.contains(prefix + "_append")).toList();
    assertThat(appends).hasSize(2);
    assertThat(appends.get(0)).contains(prefix + "_append_one(");
    assertThat(appends.get(1)).contains(prefix + "_append(");
  }

  @Test
  void anAppendWakesAnIdleSubscriptionLongBeforeItsPollInterval() throws Exception {
    try (EventStore store =
        EventStore.postgres(
            PostgresEventStoreConfig.builder(pool)
                .tablePrefix(newPrefix())
                .pollInterval(SubscriptionWakeUpTest.LONG_POLL)
                .build())) {
      SubscriptionWakeUpTest.assertAppendWakesAnIdleSubscription(store, "postgres");
    }
  }

  @Test
  void theAppendingStoresOwnSubscriptionsWakeWithoutANotification() throws Exception {
    // Every NOTIFY of this store fails: only the in-process wake-up can beat the 10-minute poll.
    DataSource noNotify = refusing(pool, "pg_notify");
    try (EventStore store =
        EventStore.postgres(
            PostgresEventStoreConfig.builder(noNotify)
                .tablePrefix(newPrefix())
                .pollInterval(SubscriptionWakeUpTest.LONG_POLL)
                .build())) {
      SubscriptionWakeUpTest.assertAppendWakesAnIdleSubscription(store, "postgres-no-notify");
    }
  }

  /** A data source whose plain statements fail when their SQL contains {@code word}. */
  private static DataSource refusing(DataSource target, String word) {
    return intercepting(
        target,
        sql -> {
          if (sql.contains(word)) {
            throw new SQLException("refused by the test: " + word);
          }
        });
  }

  /** What a {@link #intercepting} data source does before each statement a connection executes. */
  private interface BeforeStatement {
    void accept(String sql) throws SQLException;
  }

  /**
   * {@code target}, whose connections call {@code before} with the SQL of each plain statement they
   * execute and of each statement they prepare.
   */
  private static DataSource intercepting(DataSource target, BeforeStatement before) {
    return intercepting(target, before, sql -> {});
  }

  /**
   * As {@link #intercepting(DataSource, BeforeStatement)}, with {@code after} called with the SQL
   * of each plain statement once it returned.
   */
  private static DataSource intercepting(
      DataSource target, BeforeStatement before, BeforeStatement after) {
    return (DataSource)
        Proxy.newProxyInstance(
            PostgresConcurrencyIT.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (p, m, args) -> {
              Object result = TestConnectionPool.invoke(m, target, args);
              return result instanceof Connection c
                  ? interceptingConnection(c, before, after)
                  : result;
            });
  }

  private static Connection interceptingConnection(
      Connection real, BeforeStatement before, BeforeStatement after) {
    return (Connection)
        Proxy.newProxyInstance(
            PostgresConcurrencyIT.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (p, m, args) -> {
              if (m.getName().equals("prepareStatement")) {
                before.accept((String) args[0]); // a prepared statement's SQL, when prepared
              }
              Object result = TestConnectionPool.invoke(m, real, args);
              if (!m.getName().equals("createStatement")) {
                return result;
              }
              Statement statement = (Statement) result;
              return Proxy.newProxyInstance(
                  PostgresConcurrencyIT.class.getClassLoader(),
                  new Class<?>[] {Statement.class},
                  (q, sm, sargs) -> {
                    String sql =
                        sargs != null && sargs.length > 0 && sargs[0] instanceof String text
                            ? text
                            : null;
                    if (sql != null) {
                      before.accept(sql);
                    }
                    Object out = TestConnectionPool.invoke(sm, statement, sargs);
                    if (sql != null) {
                      after.accept(sql);
                    }
                    return out;
                  });
            });
  }

  @Test
  void expectedVersionRacesFromManyThreadsHaveExactlyOneWinnerPerVersion() throws Exception {
    try (EventStore store = open(pool, newPrefix())) {
      int threads = 8;
      int winsPerThread = 15;
      CyclicBarrier start = new CyclicBarrier(threads);
      ExecutorService workers = Executors.newFixedThreadPool(threads);
      Map<Long, String> winners = new ConcurrentHashMap<>();
      AtomicInteger conflicts = new AtomicInteger();
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            workers.submit(
                () -> {
                  start.await();
                  for (int won = 0; won < winsPerThread; ) {
                    long version = store.streamVersion("race");
                    String text = thread + "-" + won;
                    ExpectedVersion expected =
                        version < 0 ? ExpectedVersion.noStream() : ExpectedVersion.exactly(version);
                    try {
                      AppendResult r = store.append("race", expected, event(text));
                      assertThat(winners.put(r.firstVersion(), text)).isNull();
                      won++;
                    } catch (ConcurrencyException lost) {
                      conflicts.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
      workers.shutdown();

      List<RecordedEvent> stream = store.readStream("race", 0, 1000);
      assertThat(stream).hasSize(threads * winsPerThread);
      for (int v = 0; v < stream.size(); v++) {
        assertThat(stream.get(v).streamVersion()).isEqualTo(v);
        assertThat(text(stream.get(v))).isEqualTo(winners.get((long) v));
      }
      assertThat(conflicts.get()).isPositive();
    }
  }

  @Test
  void expectedVersionRacesFromTwoProcessesHaveExactlyOneWinnerPerVersion() throws Exception {
    String prefix = newPrefix();
    try (EventStore store = open(pool, prefix);
        ChildJvm first = new ChildJvm(PostgresWorkload.class, "race", url(), prefix, "race", "40");
        ChildJvm second =
            new ChildJvm(PostgresWorkload.class, "race", url(), prefix, "race", "40")) {
      assertThat(first.finish()).isZero();
      assertThat(second.finish()).isZero();

      Map<Long, String> wins = new HashMap<>();
      for (ChildJvm child : List.of(first, second)) {
        for (String line : child.lines()) {
          String[] parts = line.split(" ");
          assertThat(wins.put(Long.parseLong(parts[1]), parts[2]))
              .as("version " + parts[1])
              .isNull();
        }
      }
      List<RecordedEvent> stream = store.readStream("race", 0, 1000);
      assertThat(wins).hasSize(160);
      assertThat(stream).hasSize(160);
      for (RecordedEvent e : stream) {
        assertThat(e.eventId()).isEqualTo(wins.get(e.streamVersion()));
      }
    }
  }

  @Test
  void aDatabaseCreatedByTheHeadRowVersionIsMigratedOnOpen() throws Exception {
    String prefix = newPrefix();
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      // the layout of version 0.1.0, with two events
      s.execute(
          "CREATE TABLE "
              + prefix
              + "_events (position BIGINT PRIMARY KEY, stream_id TEXT NOT NULL,"
              + " stream_version BIGINT NOT NULL, event_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL,"
              + " schema_version INT NOT NULL, data BYTEA NOT NULL, occurred_seconds BIGINT NOT NULL,"
              + " occurred_nanos INT NOT NULL, recorded_micros BIGINT NOT NULL,"
              + " correlation_id TEXT, causation_id TEXT, UNIQUE (stream_id, stream_version))");
      s.execute(
          "CREATE TABLE "
              + prefix
              + "_head (id INT PRIMARY KEY CHECK (id = 1), next_position BIGINT NOT NULL,"
              + " recorded_micros BIGINT NOT NULL)");
      s.execute(
          "INSERT INTO "
              + prefix
              + "_events VALUES (0, 's', 0, 'e0', 'T', 1, 'old0', 1, 0, 4102444800000000, null, null),"
              + " (1, 's', 1, 'e1', 'T', 1, 'old1', 1, 0, 4102444800000000, null, null)");
      s.execute("INSERT INTO " + prefix + "_head VALUES (1, 2, 4102444800000000)");
    }

    try (EventStore store = open(pool, prefix)) {
      AppendResult next = store.append("s", ExpectedVersion.exactly(1), event("new"));

      assertThat(next.firstPosition()).isEqualTo(2);
      assertThat(next.firstVersion()).isEqualTo(2);
      List<RecordedEvent> all = store.readAll(0, 10);
      assertThat(all)
          .extracting(PostgresConcurrencyIT::text)
          .containsExactly("old0", "old1", "new");
      // recorded times keep going up from the old head's, though it lies in the future
      assertThat(all.get(2).recordedAt()).isEqualTo(all.get(1).recordedAt());
    }
    try (EventStore again = open(pool, prefix);
        Connection c = pool.getConnection();
        java.sql.ResultSet rs = c.getMetaData().getTables(null, null, prefix + "_head", null)) {
      assertThat(again.readAll(0, 10)).hasSize(3);
      assertThat(rs.next()).as("the head table is dropped").isFalse();
    }
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      List<String> txIds = new ArrayList<>();
      try (java.sql.ResultSet rs =
          s.executeQuery("SELECT tx_id::text FROM " + prefix + "_events ORDER BY position")) {
        while (rs.next()) {
          txIds.add(rs.getString(1));
        }
      }
      assertThat(txIds).hasSize(3);
      assertThat(txIds.subList(0, 2)).as("the old rows' tx_id").containsExactly("0", "0");
      assertThat(Long.parseLong(txIds.get(2))).as("the new row's tx_id").isPositive();
      // the first statement of version 0.1.0's append, as a process still running it sends it
      c.setAutoCommit(false);
      assertThatThrownBy(
              () ->
                  s.executeQuery(
                      "SELECT next_position, recorded_micros,"
                          + " (extract(epoch FROM clock_timestamp()) * 1000000)::bigint FROM "
                          + prefix
                          + "_head WHERE id = 1 FOR UPDATE"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("relation \"" + prefix + "_head\" does not exist");
      c.rollback();
      c.setAutoCommit(true);
    }
  }

  @Test
  void killedWritersInSeveralProcessesLoseNoAcknowledgedEventAndSubscribersAgreeOnOneOrder()
      throws Exception {
    String prefix = newPrefix();
    long seed = System.nanoTime();
    java.util.Random random = new java.util.Random(seed);
    List<ChildJvm> children = new ArrayList<>();
    try (EventStore store = open(pool, prefix)) {
      List<ChildJvm> subscribers = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        ChildJvm sub = new ChildJvm(PostgresWorkload.class, "subscribe", url(), prefix, "sub" + i);
        children.add(sub);
        subscribers.add(sub);
      }
      for (ChildJvm sub : subscribers) {
        sub.awaitLine("READY"::equals, 60);
      }
      ChildJvm[] writers = new ChildJvm[3];
      for (int w = 0; w < writers.length; w++) {
        writers[w] = new ChildJvm(PostgresWorkload.class, "append", url(), prefix, "w" + w);
        children.add(writers[w]);
      }
      int kills = 0;
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < end || kills < 4) {
        Thread.sleep(800 + random.nextInt(1500));
        int w = random.nextInt(writers.length);
        writers[w].awaitLine(line -> line.startsWith("ACK "), 120); // it is appending
        writers[w].kill(); // SIGKILL, wherever the writer is: mid-append, mid-commit, printing
        kills++;
        writers[w] = new ChildJvm(PostgresWorkload.class, "append", url(), prefix, "w" + w);
        children.add(writers[w]);
      }
      for (ChildJvm w : writers) {
        w.kill();
      }
      awaitNoAppendRunning(prefix);

      Set<String> acknowledged = new java.util.HashSet<>();
      for (ChildJvm child : children) {
        for (String line : child.lines()) {
          if (line.startsWith("ACK ") && line.endsWith(" END")) {
            List<String> ids = List.of(line.split(" "));
            acknowledged.addAll(ids.subList(1, ids.size() - 1));
          }
        }
      }
      List<RecordedEvent> log = new ArrayList<>();
      for (List<RecordedEvent> page = store.readAll(0, 10_000);
          !page.isEmpty();
          page = store.readAll(page.get(page.size() - 1).position() + 1, 10_000)) {
        log.addAll(page);
      }
      List<String> logIds = log.stream().map(RecordedEvent::eventId).toList();
      Map<String, Long> versions = new HashMap<>();
      long previous = -1;
      for (RecordedEvent e : log) {
        assertThat(e.position()).as("seed %d", seed).isGreaterThan(previous);
        previous = e.position();
        long expected = versions.getOrDefault(e.streamId(), -1L) + 1;
        assertThat(e.streamVersion())
            .as("stream %s, seed %d", e.streamId(), seed)
            .isEqualTo(expected);
        versions.put(e.streamId(), expected);
      }
      assertThat(Set.copyOf(logIds)).hasSize(logIds.size()).containsAll(acknowledged);
      assertThat(acknowledged).hasSizeGreaterThan(100);

      System.out.printf(
          "%d kills, %d acknowledged events, %d in the log, %d streams, seed %d%n",
          kills, acknowledged.size(), log.size(), versions.size(), seed);
      long last = log.get(log.size() - 1).position();
      for (ChildJvm sub : subscribers) {
        sub.awaitLine(line -> line.startsWith("EV " + last + " "), 120);
        assertThat(sub.finish()).isZero();
        List<String> lines = sub.lines();
        assertThat(lines).contains("DONE").noneMatch(line -> line.startsWith("FAILED"));
        List<String> delivered =
            lines.stream()
                .filter(line -> line.startsWith("EV "))
                .map(line -> line.split(" ")[2])
                .toList();
        // every committed event exactly once, in the one order of the log, nothing skipped
        assertThat(delivered).as("seed %d", seed).isEqualTo(logIds);
      }
    } finally {
      for (ChildJvm child : children) {
        child.close();
      }
    }
  }

  /** A killed writer's last statement still runs to its end in the server: wait for it. */
  private static void awaitNoAppendRunning(String prefix) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (Connection c = pool.getConnection();
        java.sql.PreparedStatement q =
            c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
                    + " AND state <> 'idle' AND query LIKE ?")) {
      q.setString(1, "%" + prefix + "_append%");
      while (true) {
        try (java.sql.ResultSet rs = q.executeQuery()) {
          rs.next();
          if (rs.getLong(1) == 0) {
            return;
          }
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("appends of killed writers still run after 60 s");
        }
        Thread.sleep(50);
      }
    }
  }

  static String url() {
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres?user=postgres";
  }
}
