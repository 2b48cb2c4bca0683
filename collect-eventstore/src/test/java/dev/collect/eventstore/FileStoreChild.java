package dev.collect.eventstore;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A file store in a child JVM for {@code FileEventStoreProcessIT}: {@code hold <dir>} opens the
 * store, prints {@code OPEN} and keeps it open until its standard input ends; {@code fill <dir>}
 * appends 4 KiB events one at a time until an append fails (run it with a file size limit),
 * printing {@code ACK id} for each acknowledged one, {@code FAILED id | message | cause} for the
 * failed one, then tries three more appends, printing {@code REFUSED message} or {@code ACCEPTED}
 * for each, and {@code DONE} once the store is closed.
 */
public final class FileStoreChild {
  static final int MAX_APPENDS = 10_000;

  private FileStoreChild() {}

  public static void main(String[] args) throws IOException {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Path dir = Path.of(args[1]);
    switch (args[0]) {
      case "hold" -> hold(dir, out);
      case "fill" -> fill(dir, out);
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  private static void hold(Path dir, PrintStream out) throws IOException {
    try (EventStore store = EventStore.file(dir)) {
      out.println("OPEN");
      while (System.in.read() >= 0) {
        // held until the parent closes our standard input
      }
    }
  }

  private static void fill(Path dir, PrintStream out) {
    try (EventStore store = EventStore.file(dir)) {
      for (int i = 0; i < MAX_APPENDS; i++) {
        EventData event = event();
        try {
          store.append("filler", ExpectedVersion.any(), event);
          out.println("ACK " + event.eventId());
        } catch (RuntimeException e) {
          out.println("FAILED " + event.eventId() + " | " + e.getMessage() + " | " + e.getCause());
          break;
        }
      }
      for (int i = 0; i < 3; i++) {
        try {
          store.append("after-failure-" + i, ExpectedVersion.any(), event());
          out.println("ACCEPTED");
        } catch (RuntimeException e) {
          out.println("REFUSED " + e.getClass().getSimpleName() + " | " + e.getMessage());
        }
      }
    }
    out.println("DONE");
  }

  private static EventData event() {
    String id = UUID.randomUUID().toString();
    return EventData.builder("T", new byte[4096]).eventId(id).build();
  }
}
