package dev.collect.eventstore;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * By hand, not a test: the CPU time and the bytes allocated per event of a replay through {@code
 * readAll} (pages of 10,000), beside a raw read of the same segment files (FileChannel into a 1 MiB
 * direct buffer, no decoding), measured on the reading thread (ThreadMXBean), alternating: {@code
 * main [events=300000] [passes=6]}. The log is written with {@code OS_BUFFERED} into a temporary
 * directory, in batches of 1, 10 and 100 (one third of the events each).
 */
public final class ReplayCost {
  private ReplayCost() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
    int passes = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Path dir = Files.createTempDirectory("replay-cost");
    try {
      try (EventStore store =
          EventStore.file(
              FileEventStoreConfig.builder(dir).durability(Durability.OS_BUFFERED).build())) {
        int written = 0;
        int[] batches = {1, 10, 100};
        for (int b = 0; written < events; b = (b + 1) % 3) {
          int batch = batches[b];
          for (int k = 0; k < 1000 / batch * batch && written < events; k += batch) {
            List<EventData> list = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
              list.add(EventData.of("OrderPlaced", EventStoreBenchmark.PAYLOAD));
            }
            store.append("stream-" + (written % 97), ExpectedVersion.any(), list);
            written += batch;
          }
        }
        long head = store.headPosition();
        System.out.printf(
            "%,d events of %d-byte payloads; per event, on the reading thread:%n",
            head, EventStoreBenchmark.PAYLOAD.length);
        long sink = 0;
        for (int pass = 0; pass < passes; pass++) {
          long cpu0 = threads.getCurrentThreadCpuTime();
          long bytes0 = threads.getCurrentThreadAllocatedBytes();
          long read = 0;
          for (long next = 0; next < head; ) {
            List<RecordedEvent> page = store.readAll(next, 10_000);
            read += page.size();
            next += page.size();
            sink += page.get(page.size() - 1).data()[0];
          }
          double replayCpu = (threads.getCurrentThreadCpuTime() - cpu0) / (double) read;
          double replayBytes = (threads.getCurrentThreadAllocatedBytes() - bytes0) / (double) read;
          cpu0 = threads.getCurrentThreadCpuTime();
          bytes0 = threads.getCurrentThreadAllocatedBytes();
          sink += raw(dir);
          double rawCpu = (threads.getCurrentThreadCpuTime() - cpu0) / (double) head;
          double rawBytes = (threads.getCurrentThreadAllocatedBytes() - bytes0) / (double) head;
          System.out.printf(
              "pass %d: replay %6.1f ns CPU %6.1f bytes | raw read %6.1f ns CPU %6.1f bytes |"
                  + " ratio (raw CPU / replay CPU) %.2f%n",
              pass, replayCpu, replayBytes, rawCpu, rawBytes, rawCpu / replayCpu);
        }
        if (sink == 42) {
          System.out.print("");
        }
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static final ByteBuffer BUFFER = ByteBuffer.allocateDirect(1 << 20);

  private static long raw(Path log) throws Exception {
    List<Path> segments;
    try (Stream<Path> files = Files.list(log)) {
      segments =
          files.filter(f -> f.getFileName().toString().startsWith("segment-")).sorted().toList();
    }
    long sink = 0;
    for (Path segment : segments) {
      try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
        int n;
        while ((n = ch.read(BUFFER.clear())) > 0) {
          sink += n + BUFFER.get(0);
        }
      }
    }
    return sink;
  }
}
