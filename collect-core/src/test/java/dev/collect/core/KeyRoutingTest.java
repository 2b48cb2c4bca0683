package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.core.spi.LaneKey;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.core.testing.TestSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-key order with four workers, whichever part of the flow sets the key: the source, a {@code
 * keyBy} step, or a collector followed by {@code routeByKey}.
 */
@Timeout(120)
class KeyRoutingTest {

  static final int RECORDS = 20_000;
  static final int KEYS = 500;

  record Event(String user, int seq) {}

  @TempDir Path dir;

  static String json(int i) {
    return "{\"user\":\"u" + (i * 7919 % KEYS) + "\",\"seq\":" + i + "}";
  }

  @Test
  void keysSetByTheSourceKeepTheirOrder() {
    List<byte[]> lines = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      lines.add(json(i).getBytes(StandardCharsets.UTF_8));
    }
    TestSink<Event> sink = new TestSink<>();

    RunReport report =
        run(
            Pipeline.from(
                    TestSource.of(lines)
                        .keyedBy(b -> userOf(new String(b, StandardCharsets.UTF_8)))
                        .maxPerPoll(500))
                .collect(Collector.json(Event.class)),
            sink);

    assertInOrder(report, sink);
  }

  @Test
  void keysSetByKeyByKeepTheirOrderForAJsonLinesFile() throws Exception {
    Path in = dir.resolve("events.jsonl");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      lines.add(json(i));
    }
    Files.write(in, lines);
    TestSink<Event> sink = new TestSink<>();

    RunReport report =
        run(
            Pipeline.from(Source.jsonLines(in))
                .collect(Collector.json(Event.class))
                .keyBy(Event::user),
            sink);

    assertInOrder(report, sink);
    assertThat(sink.envelopes()).allSatisfy(e -> assertThat(e.key()).isEqualTo(e.value().user()));
  }

  @Test
  void keysSetByACollectorKeepTheirOrderWhenRoutedByKey() {
    List<byte[]> lines = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      lines.add(json(i).getBytes(StandardCharsets.UTF_8));
    }
    ObjectMapper mapper = new ObjectMapper();
    Collector<byte[], Event> keying =
        (input, output) -> {
          Event e = mapper.readValue(input.value(), Event.class);
          output.emit(input.withValue(e).withKey(e.user()));
        };
    TestSink<Event> sink = new TestSink<>();

    RunReport report =
        run(Pipeline.from(TestSource.of(lines).maxPerPoll(500)).collect(keying).routeByKey(), sink);

    assertInOrder(report, sink);
  }

  @Test
  void failuresBeforeTheRoutingPointAreDeadLetteredAndCountedAndTheRestKeepsOrder() {
    List<byte[]> lines = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      lines.add((i % 100 == 5 ? "{broken" : json(i)).getBytes(StandardCharsets.UTF_8));
    }
    TestSink<Event> sink = new TestSink<>();
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(TestSource.of(lines).maxPerPoll(100))
            .collect(Collector.json(Event.class))
            .filter(e -> e.seq() % 100 != 7)
            .keyBy(Event::user)
            .to(sink)
            .deadLetters(dead)
            .workers(4)
            .batch(BatchPolicy.ofRecords(32))
            .build()
            .run();

    assertThat(report.received()).isEqualTo(2_000);
    assertThat(report.deadLettered()).isEqualTo(20);
    assertThat(report.filtered()).isEqualTo(20);
    assertThat(report.written()).isEqualTo(1_960);
    assertThat(report.invariantHolds()).isTrue();
    assertThat(dead.letters()).allSatisfy(l -> assertThat(l.component()).isEqualTo("collect-1"));
    assertInOrder(report, sink);
  }

  @Test
  void stepsUpToTheLastRoutingStepRunOnTheReaderThreadAndTheRestOnTheWorkers() {
    Map<String, Set<String>> threadsOfStep = new ConcurrentHashMap<>();

    RunReport report =
        Pipeline.from(TestSource.of(numbers(2_000)).maxPerPoll(100))
            .map("parse", n -> ranOn("parse", threadsOfStep, n))
            .keyBy(n -> n % 7)
            .map("between", n -> ranOn("between", threadsOfStep, n))
            .routeByKey()
            .map("enrich", n -> ranOn("enrich", threadsOfStep, n))
            .to(new TestSink<Integer>())
            .workers(4)
            .name("threads")
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.written()).isEqualTo(2_000);
    assertThat(threadsOfStep.get("parse")).containsExactly("collect-threads-reader");
    assertThat(threadsOfStep.get("between")).containsExactly("collect-threads-reader");
    assertThat(threadsOfStep.get("enrich"))
        .isNotEmpty()
        .isSubsetOf(
            "collect-threads-worker-0",
            "collect-threads-worker-1",
            "collect-threads-worker-2",
            "collect-threads-worker-3");
  }

  @Test
  void withoutARoutingStepEveryStepRunsOnTheWorkers() {
    Map<String, Set<String>> threadsOfStep = new ConcurrentHashMap<>();

    RunReport report =
        Pipeline.from(TestSource.of(numbers(2_000)).keyedBy(n -> n % 7).maxPerPoll(100))
            .map("parse", n -> ranOn("parse", threadsOfStep, n))
            .map("enrich", n -> ranOn("enrich", threadsOfStep, n))
            .to(new TestSink<Integer>())
            .workers(2)
            .name("unrouted")
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(threadsOfStep.values())
        .hasSize(2)
        .allSatisfy(
            threads ->
                assertThat(threads)
                    .isNotEmpty()
                    .isSubsetOf("collect-unrouted-worker-0", "collect-unrouted-worker-1"));
  }

  /** A key that picks worker {@code lane mod workers}, so a test knows each record's worker. */
  record Lane(int lane) implements LaneKey {}

  @Test
  void aKeySetAfterTheRoutingPointStaysOnTheRecordButDoesNotChooseItsWorker() {
    Map<Integer, String> threadOf = new ConcurrentHashMap<>();
    // Routed by lane n; then re-keyed to lane n + 1, which would pick the other of two workers.
    Collector<Integer, Integer> rekey = (in, out) -> out.emit(in.withKey(new Lane(in.value() + 1)));
    TestSink<Integer> sink = new TestSink<>();

    RunReport report =
        Pipeline.from(TestSource.of(numbers(1_000)).maxPerPoll(100))
            .keyBy(n -> new Lane(n))
            .collect("rekey", rekey)
            .map(
                n -> {
                  threadOf.put(n, Thread.currentThread().getName());
                  return n;
                })
            .to(sink)
            .workers(2)
            .name("rekeyed")
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.written()).isEqualTo(1_000);
    assertThat(threadOf).hasSize(1_000);
    threadOf.forEach(
        (n, thread) ->
            assertThat(thread).as("record %d", n).isEqualTo("collect-rekeyed-worker-" + n % 2));
    assertThat(sink.envelopes())
        .allSatisfy(e -> assertThat(e.key()).isEqualTo(new Lane(e.value() + 1)));
  }

  private static List<Integer> numbers(int count) {
    return java.util.stream.IntStream.range(0, count).boxed().toList();
  }

  /** Records the current thread as one that ran {@code step}; returns {@code value}. */
  private static <T> T ranOn(String step, Map<String, Set<String>> threadsOfStep, T value) {
    threadsOfStep
        .computeIfAbsent(step, s -> ConcurrentHashMap.newKeySet())
        .add(Thread.currentThread().getName());
    return value;
  }

  private static RunReport run(Flow<Event> flow, TestSink<Event> sink) {
    // A sink that sleeps at random makes the workers finish out of order.
    Sink<Event> jittery =
        new Sink<>() {
          @Override
          public String name() {
            return "jittery";
          }

          @Override
          public void write(List<Envelope<Event>> batch) throws Exception {
            Thread.sleep(ThreadLocalRandom.current().nextInt(3));
            sink.write(batch);
          }
        };
    return flow.to(jittery).workers(4).batch(BatchPolicy.ofRecords(64)).build().run();
  }

  private static String userOf(String json) {
    int start = json.indexOf("\"user\":\"") + 8;
    return json.substring(start, json.indexOf('"', start));
  }

  private static void assertInOrder(RunReport report, TestSink<Event> sink) {
    assertThat(report.invariantHolds()).isTrue();
    assertThat(sink.size()).isEqualTo((int) report.written());
    Map<String, Integer> last = new HashMap<>();
    int violations = 0;
    for (Event e : sink.values()) {
      if (e.seq() <= last.getOrDefault(e.user(), -1)) {
        violations++;
      }
      last.put(e.user(), e.seq());
    }
    assertThat(violations).as("records written before an earlier record of their key").isZero();
  }
}
