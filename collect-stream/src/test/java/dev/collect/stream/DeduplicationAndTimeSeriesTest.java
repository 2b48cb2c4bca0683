package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.collect.core.Collector;
import dev.collect.core.Pipeline;
import dev.collect.core.PipelineContext;
import dev.collect.core.RunReport;
import dev.collect.core.testing.TestClock;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.core.testing.TestSource;
import dev.collect.stream.internal.DedupCollector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeduplicationAndTimeSeriesTest {

  record Event(String id, int n) {}

  record Reading(String sensor, Instant time, double value) {}

  @Test
  void duplicatesWithinTheTtlAreFilteredAndNullIdsDeadLettered() {
    List<Event> events =
        new ArrayList<>(
            List.of(
                new Event("a", 1),
                new Event("b", 2),
                new Event("a", 3),
                new Event(null, 4),
                new Event("c", 5),
                new Event("b", 6)));
    TestSink<Event> sink = new TestSink<>();
    TestDeadLetterSink dead = new TestDeadLetterSink();

    // Keyed by id: with two workers, which copy of an unkeyed duplicate comes first is a race.
    RunReport report =
        Pipeline.from(TestSource.of(events).keyedBy(Event::id))
            .collect("dedup", Deduplication.<Event>byId(Event::id).build())
            .to(sink)
            .deadLetters(dead)
            .workers(2)
            .build()
            .run();

    assertThat(sink.values()).extracting(Event::n).containsExactlyInAnyOrder(1, 2, 5);
    assertThat(report.filtered()).isEqualTo(2);
    assertThat(dead.letters())
        .singleElement()
        .satisfies(l -> assertThat(l.errorMessage()).contains("no event id"));
    assertThat(report.invariantHolds()).isTrue();
  }

  @Test
  void idsExpireAfterTheTtlAndMemoryStaysBounded() {
    TestClock clock = TestClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    DedupCollector<String> dedup =
        (DedupCollector<String>)
            Deduplication.<String>byId(s -> s)
                .ttl(Duration.ofSeconds(10))
                .maxEntries(3)
                .clock(clock)
                .build();

    boolean first = dedup.firstSighting("x");
    boolean again = dedup.firstSighting("x");
    clock.advance(Duration.ofSeconds(11));
    boolean afterTtl = dedup.firstSighting("x");
    for (int i = 0; i < 100; i++) {
      dedup.firstSighting("id-" + i);
    }

    assertThat(first).isTrue();
    assertThat(again).isFalse();
    assertThat(afterTtl).isTrue();
    assertThat(dedup.size()).isLessThanOrEqualTo(3);
  }

  @Test
  void idsForgottenForTheBoundAreCountedAndTheTtlRunsOnThePipelineClock() {
    TestClock clock = TestClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DedupCollector<String> dedup =
        (DedupCollector<String>)
            Deduplication.<String>byId(s -> s).ttl(Duration.ofSeconds(10)).maxEntries(5).build();
    dedup.open(new PipelineContext("p", registry, null, stage -> {}, failure -> null, clock));

    for (int i = 0; i < 100; i++) {
      dedup.firstSighting("id-" + i);
    }
    int kept = dedup.size();
    boolean seen99 = dedup.firstSighting("id-99");
    clock.advance(Duration.ofSeconds(10));
    int afterTtl = dedup.size();

    assertThat(kept).isLessThanOrEqualTo(5);
    assertThat(registry.get("collect.stream.dedup.evicted").counter().count())
        .isEqualTo(100 - kept);
    assertThat(seen99).as("the newest id is remembered").isFalse();
    assertThat(afterTtl).isZero();
  }

  @Test
  void gapsAreEmittedAsIsGapPointsPerSeries() throws Exception {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    List<Reading> readings =
        List.of(
            new Reading("s1", t0, 1),
            new Reading("s2", t0, 5),
            new Reading("s1", t0.plusSeconds(10), 1),
            new Reading("s1", t0.plusSeconds(40), 1), // 20 and 30 missing
            new Reading("s2", t0.plusSeconds(14), 5), // within tolerance: no gap
            new Reading("s1", t0.plusSeconds(35), 1)); // older than newest: passes, no gap
    Collector<Reading, SeriesPoint<Reading>> series =
        TimeSeries.of(Reading::sensor, Reading::time, Reading::value)
            .expectedInterval(Duration.ofSeconds(10))
            .build();
    TestSink<SeriesPoint<Reading>> sink = new TestSink<>();

    RunReport report =
        Pipeline.from(TestSource.of(readings).keyedBy(Reading::sensor))
            .collect("series", series)
            .to(sink)
            .deadLetters(new TestDeadLetterSink())
            .build()
            .run();

    List<SeriesPoint<Reading>> gaps = sink.values().stream().filter(SeriesPoint::isGap).toList();
    assertThat(gaps)
        .extracting(SeriesPoint::series, SeriesPoint::time)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("s1", t0.plusSeconds(20)),
            org.assertj.core.groups.Tuple.tuple("s1", t0.plusSeconds(30)));
    assertThat(gaps).allSatisfy(g -> assertThat(g.value()).isNull());
    assertThat(sink.size()).isEqualTo(8);
    assertThat(report.received()).isEqualTo(8);
    assertThat(report.invariantHolds()).isTrue();
    String json =
        new ObjectMapper().registerModule(new JavaTimeModule()).writeValueAsString(gaps.get(0));
    assertThat(json).contains("\"is_gap\":true");
  }

  @Test
  void outliersAreFlaggedByZScoreAndByMedianAbsoluteDeviation() {
    for (AnomalyMethod method : AnomalyMethod.values()) {
      Collector<Reading, SeriesPoint<Reading>> series =
          TimeSeries.of(Reading::sensor, Reading::time, Reading::value)
              .anomalies(method, 20, 3.0)
              .build();
      List<Reading> readings = new ArrayList<>();
      Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
      for (int i = 0; i < 30; i++) {
        readings.add(new Reading("s", t0.plusSeconds(i), 10 + (i % 3) * 0.1));
      }
      readings.add(new Reading("s", t0.plusSeconds(30), 50));
      readings.add(new Reading("s", t0.plusSeconds(31), 10.1));
      TestSink<SeriesPoint<Reading>> sink = new TestSink<>();

      Pipeline.from(TestSource.of(readings)).collect("series", series).to(sink).build().run();

      assertThat(sink.values().stream().filter(SeriesPoint::anomaly).toList())
          .as(method.name())
          .singleElement()
          .satisfies(p -> assertThat(p.measurement()).isEqualTo(50.0));
      assertThat(sink.values().get(0).score()).as("too few points to judge").isNull();
    }
  }
}
