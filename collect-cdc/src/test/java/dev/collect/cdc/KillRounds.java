package dev.collect.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.CheckpointStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link CrashWorker} in a child JVM under a continuous write load and SIGKILLs it mid-load,
 * round after round, each round resuming from the same checkpoints and writing its own output file
 * (test support).
 */
final class KillRounds {
  /** One run of the worker, from its first event to the kill. */
  record Round(
      Path output,
      List<ChangeEvent> events,
      String checkpoint,
      double writeRate,
      double captureRate,
      int writtenTwoIntervalsBeforeKill) {

    /**
     * The most events the sink may hold beyond the committed offset at the kill: those it wrote in
     * the last two commit intervals before it (a commit covers what was settled when it began, and
     * one is due every interval).
     */
    int duplicateBound() {
      return events.size() - writtenTwoIntervalsBeforeKill;
    }
  }

  /** What the database needs between a kill and the next start. */
  interface Restart {
    void awaitReleased() throws Exception;
  }

  private final Path dir;
  private final List<String> workerArgs;
  private final Duration runFor;
  private final Duration commitInterval;
  private final Path checkpoints;
  private final String checkpointKey;

  /**
   * @param workerArgs {@link CrashWorker}'s arguments, with {@code OUTPUT} where the round's output
   *     file goes
   * @param runFor how long each round runs under load after the worker is ready
   * @param checkpoints the worker's checkpoint directory, read after each kill
   */
  KillRounds(
      Path dir,
      List<String> workerArgs,
      Duration runFor,
      Duration commitInterval,
      Path checkpoints,
      String checkpointKey) {
    this.dir = dir;
    this.workerArgs = workerArgs;
    this.runFor = runFor;
    this.commitInterval = commitInterval;
    this.checkpoints = checkpoints;
    this.checkpointKey = checkpointKey;
  }

  /**
   * Runs {@code kills} rounds, each ended by SIGKILL; {@code writer} is started once the first
   * worker is ready and keeps writing across rounds.
   */
  List<Round> run(int kills, PacedWriter writer, Restart restart) throws Exception {
    List<Round> rounds = new ArrayList<>();
    for (int k = 1; k <= kills; k++) {
      Path output = dir.resolve("round-" + k + ".jsonl");
      Path log = dir.resolve("round-" + k + ".log");
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      // A worker lives seconds: quick JIT and a small collector start it sooner on busy cores.
      command.add("-XX:TieredStopAtLevel=1");
      command.add("-XX:+UseSerialGC");
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(CrashWorker.class.getName());
      workerArgs.forEach(a -> command.add(a.equals("OUTPUT") ? output.toString() : a));
      Process worker =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try {
        awaitReady(worker, log);
        if (k == 1) {
          writer.start();
        }
        awaitCapturing(worker, log, output);
        long readyAt = System.nanoTime();
        int writtenAtReady = writer.written();
        long until = readyAt + runFor.toNanos();
        List<long[]> written = new ArrayList<>(); // {nanos, complete lines in the output}
        while (System.nanoTime() < until) {
          assertThat(worker.isAlive()).as("worker died: %s", failure(log)).isTrue();
          written.add(new long[] {System.nanoTime(), newlines(output)});
          Thread.sleep(50);
        }
        worker.destroyForcibly(); // SIGKILL: no drain, no commit
        long killedAt = System.nanoTime();
        long twoIntervalsBefore = killedAt - 2 * commitInterval.toNanos();
        int writtenBefore = 0;
        for (long[] sample : written) {
          if (sample[0] <= twoIntervalsBefore) {
            writtenBefore = (int) sample[1];
          }
        }
        assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
        double seconds = (killedAt - readyAt) / 1e9;
        List<ChangeEvent> events = completeLines(output);
        String checkpoint;
        try (CheckpointStore store = CheckpointStore.directory(checkpoints)) {
          checkpoint = store.load(checkpointKey).orElse(null);
        }
        rounds.add(
            new Round(
                output,
                events,
                checkpoint,
                (writer.written() - writtenAtReady) / seconds,
                events.size() / seconds,
                writtenBefore));
      } finally {
        worker.destroyForcibly();
      }
      restart.awaitReleased();
    }
    return rounds;
  }

  private static void awaitReady(Process worker, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!Files.exists(log) || !Files.readString(log).contains("ready\n")) {
      assertThat(worker.isAlive()).as("worker died: %s", failure(log)).isTrue();
      assertThat(System.nanoTime()).as("worker not ready: see " + log).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  /** The worker's error lines, for a failure message. */
  private static String failure(Path log) throws java.io.IOException {
    if (!Files.exists(log)) {
      return "no log";
    }
    return String.join(
        "\n",
        Files.readAllLines(log).stream()
            .filter(l -> l.contains("ERROR") || l.contains("Exception") || l.contains("WARN"))
            .limit(20)
            .toList());
  }

  /** Waits for the round's first event: from then on the worker is capturing. */
  private static void awaitCapturing(Process worker, Path log, Path output) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (newlines(output) == 0) {
      assertThat(worker.isAlive()).as("worker died: %s", failure(log)).isTrue();
      assertThat(System.nanoTime()).as("worker captures nothing: see " + log).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static long newlines(Path file) throws java.io.IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    long n = 0;
    for (byte b : Files.readAllBytes(file)) {
      n += b == '\n' ? 1 : 0;
    }
    return n;
  }

  /** The events of a JSON Lines file whose line ended: a torn last line is ignored. */
  static List<ChangeEvent> completeLines(Path file) throws Exception {
    List<ChangeEvent> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    if (end < 0) {
      return out;
    }
    for (String line : text.substring(0, end).split("\n")) {
      out.add(ChangeEventJson.fromJson(line));
    }
    return out;
  }

  /** The {@code id} column of an event's row (after, else before), or -1. */
  static int id(ChangeEvent e) {
    java.util.Map<String, Object> row = e.after() != null ? e.after() : e.before();
    return row == null ? -1 : ((Number) row.get("id")).intValue();
  }
}
