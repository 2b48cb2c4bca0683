package dev.collect.eventstore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Durable append and replay throughput of the file backend, beside a plain FileChannel write+force
 * loop (the limit of this disk) and the PostgreSQL backend, in one run. Not a test: run by hand,
 * e.g.
 *
 * <p>the command in this module's README.
 *
 * <p>Arguments: {@code [secondsPerCase=3] [postgres=true|false] [dir]}. Events carry a 200-byte
 * payload.
 */
public final class EventStoreBenchmark {
  static final byte[] PAYLOAD =
      ("{\"order\":\"o-123456\",\"customer\":\"c-42\",\"total\":1234,\"items\":["
              + "\"a\",\"b\",\"c\"],\"note\":\""
              + "x".repeat(120)
              + "\"}")
          .getBytes(StandardCharsets.UTF_8);

  private EventStoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    boolean postgres = args.length <= 1 || Boolean.parseBoolean(args[1]);
    Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("es-bench");
    long nanos = (long) (seconds * 1e9);
    System.out.printf("payload %d bytes, %.1f s per case, dir %s%n", PAYLOAD.length, seconds, dir);
    System.out.printf("%-44s %6s %7s %14s%n", "case", "batch", "threads", "events/s");
    for (int batch : new int[] {1, 10, 100}) {
      print("FileChannel write+force (the limit)", batch, 1, rawLoop(dir, batch, nanos));
    }
    try (EventStore warmup = EventStore.file(dir.resolve("warmup"))) {
      appends(warmup, 10, 4, nanos / 2); // JIT warm-up, not reported
    }
    Path log = dir.resolve("log");
    try (EventStore store = EventStore.file(log)) {
      for (int batch : new int[] {1, 10, 100}) {
        for (int threads : new int[] {1, 4}) {
          print(
              "file store, fsync per group commit",
              batch,
              threads,
              appends(store, batch, threads, nanos));
        }
      }
      long events = store.headPosition();
      for (int pass = 0; pass < 3; pass++) {
        // alternating, so that both see the same page cache and machine load
        print("file store replay, best of 5 (" + events + " ev)", 0, 1, replay(store, 5));
        print("raw sequential read of its segments, best of 5", 0, 1, rawRead(log, events, 5));
      }
    }
    for (int batch : new int[] {1, 10, 100}) {
      print("FileChannel write+force, again", batch, 1, rawLoop(dir, batch, nanos));
    }
    long start = System.nanoTime();
    try (EventStore reopened = EventStore.file(log)) {
      double rate = reopened.headPosition() / ((System.nanoTime() - start) / 1e9);
      print("file store open: recover + index rebuild", 0, 1, rate);
    }
    if (postgres) {
      PostgresAppendBenchmark.run(PAYLOAD, nanos);
    }
  }

  /** Events/s of reading the whole log through {@code readAll} in pages of 10,000; best pass. */
  static double replay(EventStore store, int passes) {
    long events = store.headPosition();
    double best = 0;
    for (int pass = 0; pass < passes; pass++) {
      long start = System.nanoTime();
      long read = 0;
      for (long next = 0; next < events; ) {
        List<RecordedEvent> page = store.readAll(next, 10_000);
        read += page.size();
        next += page.size();
      }
      best = Math.max(best, read / ((System.nanoTime() - start) / 1e9));
    }
    return best;
  }

  /**
   * The same log's segment files read start to end with a FileChannel into one 1 MiB direct buffer,
   * no decoding: {@code events} divided by the time, best pass. The limit of a replay.
   */
  static double rawRead(Path log, long events, int passes) throws IOException {
    List<Path> segments;
    try (Stream<Path> files = Files.list(log)) {
      segments =
          files.filter(f -> f.getFileName().toString().startsWith("segment-")).sorted().toList();
    }
    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    double best = 0;
    long sink = 0;
    for (int pass = 0; pass < passes; pass++) {
      long start = System.nanoTime();
      for (Path segment : segments) {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
          int n;
          while ((n = ch.read(buffer.clear())) > 0) {
            sink += n + buffer.get(0);
          }
        }
      }
      best = Math.max(best, events / ((System.nanoTime() - start) / 1e9));
    }
    if (sink == 42) {
      System.out.print(""); // keeps the reads from being optimised away
    }
    return best;
  }

  private static void print(String name, int batch, int threads, double rate) {
    System.out.printf("%-44s %6s %7d %,14.0f%n", name, batch == 0 ? "-" : batch, threads, rate);
  }

  static double rawLoop(Path dir, int batch, long nanos) throws Exception {
    Path file = dir.resolve("raw-" + batch + ".bin");
    ByteBuffer buffer = ByteBuffer.allocateDirect(batch * (PAYLOAD.length + 8));
    long events = 0;
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      long start = System.nanoTime();
      while (System.nanoTime() - start < nanos) {
        buffer.clear();
        for (int i = 0; i < batch; i++) {
          buffer.putInt(PAYLOAD.length).putInt(i).put(PAYLOAD);
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
          ch.write(buffer);
        }
        ch.force(false);
        events += batch;
      }
      return events / ((System.nanoTime() - start) / 1e9);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  static double appends(EventStore store, int batch, int threads, long nanos)
      throws InterruptedException {
    AtomicLong events = new AtomicLong();
    List<Thread> workers = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      String stream = "bench-" + batch + "-" + threads + "-" + t;
      Thread w =
          new Thread(
              () -> {
                while (System.nanoTime() - start < nanos) {
                  List<EventData> list = new ArrayList<>(batch);
                  for (int i = 0; i < batch; i++) {
                    list.add(EventData.of("OrderPlaced", PAYLOAD));
                  }
                  store.append(stream, ExpectedVersion.any(), list);
                  events.addAndGet(batch);
                }
              });
      workers.add(w);
      w.start();
    }
    for (Thread w : workers) {
      w.join();
    }
    return events.get() / ((System.nanoTime() - start) / 1e9);
  }
}
