package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.fixtures.Click;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.core.testing.TestSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class MetricsTest {

  @Test
  void metersUseTheDocumentedNamesAndMatchTheReport() {
    MeterRegistry registry = new SimpleMeterRegistry();

    RunReport report =
        Pipeline.from(TestSource.of(PipelineInvariantTest.lines(2000, 20, 25)))
            .collect(Collector.json(Click.class))
            .validate(Validator.bean(Click.class))
            .filter(c -> !c.id().equals("e0"))
            .to(new TestSink<>())
            .deadLetters(new TestDeadLetterSink())
            .name("clicks")
            .metrics(registry)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(count(registry, MetricNames.RECORDS_RECEIVED)).isEqualTo(report.received());
    assertThat(count(registry, MetricNames.RECORDS_WRITTEN)).isEqualTo(report.written());
    assertThat(count(registry, MetricNames.RECORDS_FILTERED)).isEqualTo(report.filtered());
    assertThat(count(registry, MetricNames.RECORDS_DEAD_LETTERED)).isEqualTo(report.deadLettered());
    assertThat(
            registry
                .get(MetricNames.RECORDS_DEAD_LETTERED)
                .tag(MetricNames.TAG_STAGE, "validate")
                .tag(MetricNames.TAG_REASON, "invalid")
                .counter()
                .count())
        .isEqualTo(80);
    assertThat(
            registry
                .get(MetricNames.RECORDS_RECEIVED)
                .tag(MetricNames.TAG_PIPELINE, "clicks")
                .counter())
        .isNotNull();
    assertThat(
            registry
                .get(MetricNames.STAGE_LATENCY)
                .tag(MetricNames.TAG_STAGE, "process")
                .timer()
                .count())
        .isPositive();
    assertThat(
            registry
                .get(MetricNames.STAGE_LATENCY)
                .tag(MetricNames.TAG_STAGE, "sink")
                .timer()
                .count())
        .isPositive();
    assertThat(registry.get(MetricNames.END_TO_END_LATENCY).timer().count()).isPositive();
    assertThat(registry.get(MetricNames.BATCH_SIZE).summary().totalAmount())
        .isEqualTo(report.written());
    assertThat(registry.get(MetricNames.BUFFER_FILL).gauge().value()).isZero();
    assertThat(registry.get(MetricNames.QUALITY_SCORE).gauge().value())
        .isEqualTo(report.quality().score());
    assertThat(report.quality().validated()).isEqualTo(1900);
    assertThat(report.quality().invalid()).isEqualTo(80);
    assertThat(report.quality().nullRates()).containsKeys("id", "user", "type", "position");
    assertThat(report.toTable()).contains("quality score").contains("dead-lettered");
    // The records carry no event time: the report says so instead of printing a lag of zero.
    assertThat(report.quality().eventTimeSamples()).isZero();
    assertThat(report.toTable()).contains("mean event lag           n/a");
  }

  @Test
  void theReportGivesTheMeanEventLagOfSampledRecordsWithAnEventTime() {
    List<Integer> values = new ArrayList<>();
    for (int i = 0; i < 640; i++) {
      values.add(i);
    }

    RunReport report =
        Pipeline.from(TestSource.of(values))
            .collect(
                (Collector<Integer, Integer>)
                    (in, out) ->
                        out.emit(
                            Envelope.builder(in.value())
                                .ingestTime(in.ingestTime())
                                .eventTime(in.ingestTime().minusSeconds(5))
                                .build()))
            .validate(Validator.rule("value", "must be >= 0", (Integer v) -> v >= 0))
            .to(new TestSink<>())
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.quality().eventTimeSamples()).isEqualTo(640 / RunReport.Quality.SAMPLE_EVERY);
    assertThat(report.quality().meanEventLag()).isEqualTo(Duration.ofSeconds(5));
    assertThat(report.toTable()).contains("mean event lag           5000.0 ms");
  }

  @Test
  void unknownFieldsAreCountedAsSchemaDriftNotFailures() {
    MeterRegistry registry = new SimpleMeterRegistry();
    String withExtra =
        "{\"id\":\"e1\",\"user\":\"u\",\"type\":\"view\",\"position\":1,\"colour\":\"red\"}";

    RunReport report =
        Pipeline.from(TestSource.of(java.util.List.of(withExtra.getBytes(), withExtra.getBytes())))
            .collect(Collector.json(Click.class))
            .to(new TestSink<>())
            .metrics(registry)
            .build()
            .run();

    assertThat(report.written()).isEqualTo(2);
    assertThat(
            registry
                .get(MetricNames.SCHEMA_DRIFT)
                .tag(MetricNames.TAG_FIELD, "Click.colour")
                .counter()
                .count())
        .isEqualTo(2);
  }

  private static long count(MeterRegistry registry, String name) {
    return (long) registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }
}
