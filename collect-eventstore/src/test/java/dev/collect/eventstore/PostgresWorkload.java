package dev.collect.eventstore;

import dev.collect.core.CheckpointStore;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The processes of {@code PostgresProcessesIT}, each on its own connections to one database:
 *
 * <ul>
 *   <li>{@code append url prefix name}: two threads append batches of 1 to 5 events, 15 ms apart,
 *       until killed, to three streams shared by every writer ({@code any}) and to streams of their
 *       own ({@code exactly}), printing {@code ACK id... END} once each append returned;
 *   <li>{@code race url prefix stream wins}: two threads each win {@code wins} appends to one
 *       stream with {@code exactly(the version just read)}, printing {@code WIN version id END} per
 *       win;
 *   <li>{@code subscribe url prefix name}: follows the global log from 0, printing {@code EV
 *       position id} per event, until its standard input closes.
 * </ul>
 */
public final class PostgresWorkload {
  private PostgresWorkload() {}

  public static void main(String[] args) throws Exception {
    PGSimpleDataSource target = new PGSimpleDataSource();
    target.setURL(args[1]);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    EventStore store =
        EventStore.postgres(
            PostgresEventStoreConfig.builder(TestConnectionPool.of(target))
                .tablePrefix(args[2])
                .build());
    switch (args[0]) {
      case "append" -> twoThreads(() -> append(store, args[3], out));
      case "race" -> twoThreads(() -> race(store, args[3], Integer.parseInt(args[4]), out));
      case "subscribe" -> subscribe(store, args[3], out);
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  private static void twoThreads(Runnable work) throws InterruptedException {
    Thread a = new Thread(work);
    Thread b = new Thread(work);
    a.start();
    b.start();
    a.join();
    b.join();
  }

  private static final long APPEND_PAUSE_NANOS = 15_000_000;

  private static void append(EventStore store, String name, PrintStream out) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String own = name + "-" + UUID.randomUUID();
    long ownVersion = -1;
    while (true) {
      List<EventData> batch = new ArrayList<>();
      int n = 1 + random.nextInt(5);
      for (int i = 0; i < n; i++) {
        String id = UUID.randomUUID().toString();
        batch.add(EventData.builder("T", id.getBytes(StandardCharsets.UTF_8)).eventId(id).build());
      }
      if (random.nextBoolean()) {
        store.append("shared-" + random.nextInt(3), ExpectedVersion.any(), batch);
      } else {
        ExpectedVersion expected =
            ownVersion < 0 ? ExpectedVersion.noStream() : ExpectedVersion.exactly(ownVersion);
        ownVersion = store.append(own, expected, batch).lastVersion();
      }
      StringBuilder line = new StringBuilder("ACK");
      batch.forEach(e -> line.append(' ').append(e.eventId()));
      print(out, line.append(" END").toString());
      // Paced, so that the subscribers' catch-up after the run stays short: a kill still lands
      // mid-append often, with two threads appending in each writer.
      java.util.concurrent.locks.LockSupport.parkNanos(APPEND_PAUSE_NANOS);
    }
  }

  private static void race(EventStore store, String stream, int wins, PrintStream out) {
    int won = 0;
    while (won < wins) {
      long version = store.streamVersion(stream);
      String id = UUID.randomUUID().toString();
      ExpectedVersion expected =
          version < 0 ? ExpectedVersion.noStream() : ExpectedVersion.exactly(version);
      try {
        AppendResult r =
            store.append(
                stream,
                expected,
                EventData.builder("T", id.getBytes(StandardCharsets.UTF_8)).eventId(id).build());
        print(out, "WIN " + r.firstVersion() + " " + id + " END");
        won++;
      } catch (ConcurrencyException lost) {
        // another writer took this version: read again
      }
    }
  }

  private static void subscribe(EventStore store, String name, PrintStream out) throws Exception {
    try (Subscription sub =
        store.subscribe(
            name,
            CheckpointStore.inMemory(),
            e -> print(out, "EV " + e.position() + " " + e.eventId()))) {
      print(out, "READY");
      while (System.in.read() >= 0) {
        // runs until the parent closes our standard input
      }
      if (sub.failure() != null) {
        print(out, "FAILED " + sub.failure());
      }
    }
    print(out, "DONE");
  }

  private static void print(PrintStream out, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
