package dev.collect.eventstore;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Do appending processes scale? One, then two child JVMs append to one PostgreSQL store, each on
 * streams of its own (disjoint), alternating 1 and 2 processes case by case; prints the total
 * events/s of each case. All children measure the same wall-clock window, which starts once every
 * child appends and has warmed up for 2 s. Not a test: run by hand, {@code
 * PostgresProcessesBenchmark [secondsPerCase=5] [threadsPerProcess=2]}. The server is embedded,
 * with {@code fsync} and {@code synchronous_commit} on; children run with the JVM options of {@link
 * ChildJvm} (C1 only, 96 MB heap), the same for both cases.
 */
public final class PostgresProcessesBenchmark {
  private static final int ROUNDS = 2;
  private static final long WARM_UP_MILLIS = 2_000;

  private PostgresProcessesBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("child")) {
      child(args);
      return;
    }
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("fsync", "on").start()) {
      String url = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres?user=postgres";
      String prefix = "procs";
      EventStore.postgres(
              PostgresEventStoreConfig.builder(pg.getPostgresDatabase())
                  .tablePrefix(prefix)
                  .build())
          .close(); // creates the tables once
      System.out.printf(
          "%.1f s per case, %d threads per process, %d rounds; events/s summed over processes%n",
          seconds, threads, ROUNDS);
      System.out.printf(
          "%-10s %6s %14s %14s %6s%n", "case", "batch", "1 process", "2 processes", "ratio");
      for (int batch : new int[] {1, 10, 100}) {
        for (int round = 0; round < ROUNDS; round++) {
          double one = run(url, prefix, batch, threads, seconds, 1);
          double two = run(url, prefix, batch, threads, seconds, 2);
          System.out.printf(
              "%-10s %6d %,14.0f %,14.0f %6.2f%n", "round " + round, batch, one, two, two / one);
        }
      }
    }
  }

  private static double run(
      String url, String prefix, int batch, int threads, double seconds, int processes)
      throws Exception {
    long millis = (long) (seconds * 1000);
    Path go = Files.createTempFile("procs-go", ".txt");
    Files.delete(go);
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (int p = 0; p < processes; p++) {
        children.add(
            new ChildJvm(
                PostgresProcessesBenchmark.class,
                "child",
                url,
                prefix,
                Integer.toString(batch),
                Integer.toString(threads),
                go.toString(),
                Long.toString(millis)));
      }
      // Every child has connected and appends (its warm-up): start the window for all at once.
      for (ChildJvm child : children) {
        child.awaitLine(l -> l.equals("READY"), 120);
      }
      Thread.sleep(WARM_UP_MILLIS);
      Path ready = Files.createTempFile("procs-go", ".tmp");
      Files.writeString(ready, Long.toString(System.currentTimeMillis() + 200));
      Files.move(ready, go, StandardCopyOption.ATOMIC_MOVE);
      long events = 0;
      for (ChildJvm child : children) {
        child.awaitLine(l -> l.startsWith("EVENTS "), 120);
        String line =
            child.lines().stream().filter(l -> l.startsWith("EVENTS ")).findFirst().orElseThrow();
        events += Long.parseLong(line.substring("EVENTS ".length()));
      }
      return events / (millis / 1000.0);
    } finally {
      for (ChildJvm child : children) {
        child.close();
      }
      Files.deleteIfExists(go);
    }
  }

  /**
   * {@code child url prefix batch threads goFile millis}: appends from the start, prints {@code
   * READY} after its first append, and counts the events of appends that run inside the window
   * starting at the time written into {@code goFile}; then prints {@code EVENTS n}.
   */
  private static void child(String[] args) throws Exception {
    PGSimpleDataSource target = new PGSimpleDataSource();
    target.setURL(args[1]);
    int batch = Integer.parseInt(args[3]);
    int threads = Integer.parseInt(args[4]);
    Path go = Path.of(args[5]);
    long millis = Long.parseLong(args[6]);
    AtomicLong counted = new AtomicLong();
    AtomicLong window = new AtomicLong(Long.MAX_VALUE); // start; unknown until go exists
    AtomicBoolean ready = new AtomicBoolean();
    try (EventStore store =
        EventStore.postgres(
            PostgresEventStoreConfig.builder(TestConnectionPool.of(target))
                .tablePrefix(args[2])
                .build())) {
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String stream = "proc-" + UUID.randomUUID(); // disjoint from every other thread's
        Thread w =
            new Thread(
                () -> {
                  long now;
                  while ((now = System.currentTimeMillis()) - millis < window.get()) {
                    List<EventData> list = new ArrayList<>(batch);
                    for (int i = 0; i < batch; i++) {
                      list.add(EventData.of("OrderPlaced", EventStoreBenchmark.PAYLOAD));
                    }
                    store.append(stream, ExpectedVersion.any(), list);
                    long start = window.get();
                    // counted when the append started and ended inside the window
                    if (now >= start && System.currentTimeMillis() <= start + millis) {
                      counted.addAndGet(batch);
                    }
                    if (ready.compareAndSet(false, true)) {
                      System.out.println("READY");
                      System.out.flush();
                    }
                  }
                });
        workers.add(w);
        w.start();
      }
      while (!Files.exists(go)) {
        Thread.sleep(10);
      }
      window.set(Long.parseLong(Files.readString(go).trim()));
      for (Thread w : workers) {
        w.join();
      }
    }
    System.out.println("EVENTS " + counted.get());
    System.out.flush();
  }
}
