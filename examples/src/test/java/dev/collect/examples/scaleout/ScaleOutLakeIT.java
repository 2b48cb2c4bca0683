package dev.collect.examples.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.examples.support.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three worker processes in one consumer group write one Parquet lake while a producer keeps
 * writing; five rounds each SIGKILL one worker and restart it at once.
 */
@Timeout(150)
class ScaleOutLakeIT {
  static final List<String> VICTIMS = List.of("a", "b", "c", "a", "b");

  /**
   * The most records one handover of a partition may re-read: what the old owner took from it after
   * its last commit and so wrote without committing. A worker holds at most {@value
   * ScaleOutWorker#QUEUE_RECORDS} records in its queue plus one batch of {@value
   * ScaleOutWorker#BATCH_RECORDS}, and commits every 200 ms; the producer writes 1,500 events/s
   * over 6 partitions, but a new owner catching up reads a partition's backlog at full speed, so
   * the bound allows the queue, a batch and 1,000 more records settled between two commits.
   */
  static final long MAX_TAIL_PER_HANDOVER =
      ScaleOutWorker.QUEUE_RECORDS + ScaleOutWorker.BATCH_RECORDS + 1000;

  /** Under target/, so that the workers' logs stay for a look after a failure. */
  private final Path dir = Path.of("target", "scaleout-it-" + Long.toString(System.nanoTime(), 36));

  /** Rows of one incarnation for one partition at consecutive offsets: one ownership's output. */
  record Run(String writer, int part, long first, long last) {}

  @Test
  void killedAndRestartedWorkersLoseNothingAndDuplicateOnlyUncommittedTails() throws Exception {
    List<Long> visibleAtKills = new ArrayList<>();
    Map<String, Integer> exits;
    long produced;
    List<List<Object>> rows;
    List<Object> totals;
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        Fleet fleet = new Fleet(kafka.bootstrapServers(), "clicks", 6, dir, 1000);
        ClickProducer producer = new ClickProducer(kafka.bootstrapServers(), fleet.topic())) {
      for (String name : List.of("a", "b", "c")) {
        fleet.start(name);
      }
      producer.start(0, 1500);
      while (fleet.visibleRows() == 0) {
        Thread.sleep(50); // the workers are writing before the first kill
      }
      for (String victim : VICTIMS) {
        ScaleOutDemo.holdings(fleet, victim); // it has partitions, so it has work in flight
        Thread.sleep(1000);
        fleet.kill(victim);
        // every visible file is whole: DuckDB reads them all right after the kill
        visibleAtKills.add(fleet.visibleRows());
        fleet.start(victim);
      }
      producer.stop();
      fleet.awaitCaughtUp(java.time.Duration.ofSeconds(60));
      exits = fleet.stopAll();
      produced = fleet.ends().values().stream().mapToLong(Long::longValue).sum();
      totals = fleet.query("SELECT count(*), count(DISTINCT (part, off)) FROM {lake}").get(0);
      rows = fleet.query("SELECT writer, part, off FROM {lake} ORDER BY writer, seq");
    }
    Path lake = dir.resolve("lake");

    assertThat(exits)
        .containsOnlyKeys("a", "b", "c")
        .allSatisfy((name, code) -> assertThat(code).isZero());
    long rowCount = (Long) totals.get(0);
    long distinct = (Long) totals.get(1);
    assertThat(distinct).as("0 lost: every produced offset is in the lake").isEqualTo(produced);
    assertThat(rows).hasSize((int) rowCount);
    assertThat(visibleAtKills).hasSize(VICTIMS.size()).isSorted();
    assertThat(visibleAtKills.get(0)).isPositive();

    // Duplicates: each is where a partition's next owner started (at the committed offset) before
    // the old owner's last written offset, i.e. in the old owner's uncommitted tail.
    List<Run> runs = runs(rows);
    long duplicates = 0;
    long handovers = 0;
    long maxTail = 0;
    Map<Integer, List<Run>> byPartition = new TreeMap<>();
    runs.forEach(r -> byPartition.computeIfAbsent(r.part(), k -> new ArrayList<>()).add(r));
    for (List<Run> owned : byPartition.values()) {
      owned.sort((x, y) -> Long.compare(x.first(), y.first()));
      assertThat(owned.get(0).first()).isZero();
      long end = -1;
      for (Run r : owned) {
        assertThat(r.first()).as("no gap before %s", r).isLessThanOrEqualTo(end + 1);
        long tail = Math.max(0, Math.min(end, r.last()) - r.first() + 1);
        assertThat(tail).as("re-read by %s", r).isLessThanOrEqualTo(MAX_TAIL_PER_HANDOVER);
        duplicates += tail;
        maxTail = Math.max(maxTail, tail);
        handovers += end >= 0 ? 1 : 0;
        end = Math.max(end, r.last());
      }
    }
    assertThat(rowCount - distinct)
        .as("every duplicate is in a handover's tail")
        .isEqualTo(duplicates);
    assertThat(handovers).isGreaterThanOrEqualTo(VICTIMS.size());

    // No half-written data file left (a killed run's are deleted by the next run that opens), and
    // no file or manifest shared by two runs.
    try (Stream<Path> files = Files.walk(lake)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith(".part-") && n.endsWith(".parquet.tmp"));
    }
    Set<String> listed = new HashSet<>();
    List<String> runIds = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (Stream<Path> runDirs = Files.list(lake.resolve("_collect/runs"))) {
      for (Path run : runDirs.toList()) {
        runIds.add(run.getFileName().toString());
        Path manifest = run.resolve("manifest.json");
        if (Files.exists(manifest)) {
          for (JsonNode f : json.readTree(manifest.toFile()).path("files")) {
            assertThat(listed.add(f.path("path").asText())).as("listed once: %s", f).isTrue();
            assertThat(f.path("path").asText()).contains(run.getFileName().toString());
          }
        }
      }
    }
    assertThat(runIds).doesNotHaveDuplicates().hasSize(3 + VICTIMS.size());
    System.out.printf(
        "scale-out lake: %d produced, %d rows, %d distinct, %d duplicates over %d handovers"
            + " (largest tail %d), visible rows at the kills %s%n",
        produced, rowCount, distinct, duplicates, handovers, maxTail, visibleAtKills);
  }

  /** Splits each incarnation's rows (in its processing order) into runs of consecutive offsets. */
  private static List<Run> runs(List<List<Object>> rows) {
    List<Run> out = new ArrayList<>();
    Map<String, long[]> open = new HashMap<>(); // writer/part -> first, last
    Map<String, Integer> parts = new HashMap<>();
    Map<String, String> writers = new HashMap<>();
    for (List<Object> row : rows) {
      String writer = (String) row.get(0);
      int part = ((Number) row.get(1)).intValue();
      long off = ((Number) row.get(2)).longValue();
      String k = writer + "/" + part;
      long[] run = open.get(k);
      if (run != null && off == run[1] + 1) {
        run[1] = off;
        continue;
      }
      if (run != null) {
        out.add(new Run(writer, part, run[0], run[1]));
      }
      open.put(k, new long[] {off, off});
      parts.put(k, part);
      writers.put(k, writer);
    }
    open.forEach((k, run) -> out.add(new Run(writers.get(k), parts.get(k), run[0], run[1])));
    return out;
  }
}
