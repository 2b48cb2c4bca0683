package dev.collect.eventstore;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@link CrashAppender} in a fresh JVM, kills it with SIGKILL at a random moment, reopens
 * the log and checks it; repeats. Used by {@code CrashRecoveryIT} and the {@code CrashSoak} main.
 */
final class CrashLoop {
  private final Path directory;
  private final Random random;
  private final Durability durability;
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  int killsDuringAppends;
  int tornTailsInjected;
  int tornTailsCut;
  long eventsChecked;

  CrashLoop(Path directory, long seed) {
    this(directory, seed, Durability.FSYNC);
  }

  /**
   * A loop whose appender acknowledges with {@code durability}. A torn tail stands for a power
   * loss, which only {@code FSYNC} promises to survive: it is added with {@code FSYNC} only.
   */
  CrashLoop(Path directory, long seed, Durability durability) {
    this.directory = directory;
    this.random = new Random(seed);
    this.durability = durability;
  }

  /** One kill and restart; throws {@link AssertionError} when the log breaks a promise. */
  void iteration() throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xmx96m",
                "-cp",
                System.getProperty("java.class.path"),
                CrashAppender.class.getName(),
                directory.toString(),
                durability.name())
            .redirectError(childErrors().toFile())
            .start();
    List<String> lines = new ArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                  }
                }
              } catch (java.io.IOException ignored) {
                // the child died: what was read is what counts
              }
            });
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    synchronized (lines) {
      while (lines.size() < 2 && System.nanoTime() < deadline && child.isAlive()) {
        lines.wait(100);
      }
    }
    if (lines.size() < 2) {
      child.destroyForcibly().waitFor();
      throw new AssertionError(
          "the appender did not start appending: "
              + lines
              + ", its stderr: "
              + java.nio.file.Files.readString(childErrors()));
    }
    Thread.sleep(random.nextInt(150));
    child.destroyForcibly(); // SIGKILL
    child.waitFor(30, TimeUnit.SECONDS);
    reader.join(30_000);
    killsDuringAppends++;
    synchronized (lines) {
      for (String line : lines) {
        // Only whole lines count: a line cut by the kill has no END.
        if (line.startsWith("ACK ") && line.endsWith(" END")) {
          String[] parts = line.split(" ");
          for (int i = 1; i < parts.length - 1; i++) {
            acknowledged.add(parts[i]);
          }
        }
      }
    }
    if (durability == Durability.FSYNC && random.nextInt(3) == 0) {
      // A SIGKILL can stop a write between pages (Linux checks for a fatal signal per page) and
      // leave a torn record: garbage appended after it could fill up that record's length, a whole
      // record with a wrong checksum, which is damage. So check (and cut) what the kill left
      // first, and tear a tail after whole records only.
      check();
      tearTail();
    }
    check();
  }

  /**
   * What a power loss can leave after the last whole record: the start of a record without its end,
   * or garbage.
   */
  private void tearTail() throws java.io.IOException {
    Path last;
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(directory)) {
      last = files.filter(p -> p.toString().endsWith(".log")).sorted().reduce((a, b) -> b).get();
    }
    byte[] tail = new byte[1 + random.nextInt(600)];
    random.nextBytes(tail);
    if (random.nextBoolean() && tail.length > 8) {
      // a header announcing more bytes than follow
      java.nio.ByteBuffer.wrap(tail).putInt(tail.length + random.nextInt(5000));
    }
    java.nio.file.Files.write(last, tail, java.nio.file.StandardOpenOption.APPEND);
    tornTailsInjected++;
  }

  private void check() {
    try (FileEventStore store =
        EventStore.file(
            FileEventStoreConfig.builder(directory)
                .segmentBytes(CrashAppender.SEGMENT_BYTES)
                .build())) {
      for (RecoveryReport.Cut cut : store.recoveryReport().cuts()) {
        assertThat(cut.kind() == RecoveryReport.Kind.TORN_TAIL, "not a torn tail: " + cut);
        tornTailsCut++;
      }
      Map<String, RecordedEvent> byId = new HashMap<>();
      Map<String, Long> versions = new HashMap<>();
      long next = 0;
      while (true) {
        List<RecordedEvent> page = store.readAll(next, 10_000);
        if (page.isEmpty()) {
          break;
        }
        for (RecordedEvent e : page) {
          assertThat(e.position() == next, "gap at position " + next);
          long expectedVersion = versions.getOrDefault(e.streamId(), -1L) + 1;
          assertThat(
              e.streamVersion() == expectedVersion,
              "stream " + e.streamId() + " jumps to " + e.streamVersion());
          versions.put(e.streamId(), expectedVersion);
          String text = new String(e.data(), StandardCharsets.UTF_8);
          assertThat(text.startsWith(e.eventId() + ":"), "payload of " + e.eventId() + " damaged");
          assertThat(byId.put(e.eventId(), e) == null, "duplicate event " + e.eventId());
          next++;
        }
      }
      for (String id : acknowledged) {
        assertThat(byId.containsKey(id), "acknowledged event " + id + " is missing");
      }
      eventsChecked = next;
      // appends continue after recovery
      String id = java.util.UUID.randomUUID().toString();
      store.append(
          "after-restart",
          ExpectedVersion.any(),
          EventData.builder("T", CrashAppender.payload(id, 1)).eventId(id).build());
      acknowledged.add(id);
    }
  }

  private Path childErrors() {
    return directory.resolveSibling(directory.getFileName() + "-appender.err");
  }

  /** How many segment files the log has. */
  long segmentsAdded() throws java.io.IOException {
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(directory)) {
      return files.filter(p -> p.toString().endsWith(".log")).count();
    }
  }

  int acknowledgedCount() {
    return acknowledged.size();
  }

  private static void assertThat(boolean ok, String message) {
    if (!ok) {
      throw new AssertionError(message);
    }
  }
}
