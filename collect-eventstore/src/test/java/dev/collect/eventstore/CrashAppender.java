package dev.collect.eventstore;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The process {@link CrashLoop} kills: opens a file store with 256 KiB segments and the durability
 * named by its second argument ({@code FSYNC} if none) and appends from three threads until killed,
 * printing {@code ACK id... END} once each append returned.
 */
public final class CrashAppender {
  static final long SEGMENT_BYTES = 256 * 1024;

  private CrashAppender() {}

  public static void main(String[] args) {
    // Small segments, so that kills also land while a segment is added.
    EventStore store =
        EventStore.file(
            FileEventStoreConfig.builder(Path.of(args[0]))
                .segmentBytes(SEGMENT_BYTES)
                .durability(args.length > 1 ? Durability.valueOf(args[1]) : Durability.FSYNC)
                .build());
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    out.println("READY");
    out.flush();
    for (int t = 0; t < 3; t++) {
      Thread thread =
          new Thread(
              () -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (true) {
                  List<EventData> batch = new ArrayList<>();
                  int n = 1 + random.nextInt(20);
                  for (int i = 0; i < n; i++) {
                    String id = UUID.randomUUID().toString();
                    batch.add(
                        EventData.builder("T", payload(id, random.nextInt(2000)))
                            .eventId(id)
                            .build());
                  }
                  store.append("s" + random.nextInt(7), ExpectedVersion.any(), batch);
                  StringBuilder line = new StringBuilder("ACK");
                  batch.forEach(e -> line.append(' ').append(e.eventId()));
                  synchronized (out) {
                    out.println(line.append(" END"));
                    out.flush();
                  }
                }
              });
      thread.start();
    }
  }

  /** A payload that can be checked from the event id alone. */
  static byte[] payload(String id, int padding) {
    return (id + ":" + "p".repeat(padding)).getBytes(StandardCharsets.UTF_8);
  }
}
