package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
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
