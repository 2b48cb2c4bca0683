package dev.collect.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.CheckpointStore;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.core.testing.TestSource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Pipelines that record into the store (the sink) and replay out of it (the source). */
@Timeout(60)
class ReplayPipelineTest {

  record Order(String id, String customer, int total) {}

  @TempDir Path dir;
  EventStore store;

  @BeforeEach
  void open() {
    store = EventStore.file(dir.resolve("log"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  static List<Order> orders(int from, int count) {
    return IntStream.range(from, from + count)
        .mapToObj(i -> new Order("o" + i, "c" + (i % 7), i))
        .toList();
  }

  static StreamEvent toEvent(dev.collect.core.Envelope<Order> envelope) {
    Order o = envelope.value();
    if (o.total() < 0) {
      throw new IllegalArgumentException("negative total");
    }
    return new StreamEvent(
        "customer-" + o.customer(),
        EventData.builder("OrderPlaced", EventData.toJson(o)).eventId("evt-" + o.id()).build());
  }

  private RunReport record(List<Order> orders) {
    return Pipeline.from(TestSource.of(orders).maxPerPoll(37))
        .to(
            EventStore.sink(
                EventStoreSinkConfig.builder(store).build(), ReplayPipelineTest::toEvent))
        .deadLetters(new TestDeadLetterSink())
        .workers(3)
        .build()
        .run();
  }

  @Test
  void replayingATimeRangeReproducesExactlyTheEventsRecordedInIt() throws Exception {
    RunReport first = record(orders(0, 300));
    Thread.sleep(5);
    RunReport second = record(orders(300, 400));
    Thread.sleep(5);
    RunReport third = record(orders(700, 200));
    assertThat(List.of(first, second, third)).allMatch(RunReport::invariantHolds);
    assertThat(store.headPosition()).isEqualTo(900);
    List<RecordedEvent> all = store.readAll(0, 1000);
    Instant from = all.get(300).recordedAt();
    Instant to = all.get(700).recordedAt();
    List<RecordedEvent> recordedInRange = store.readByTime(from, to, 0, 10_000);

    TestSink<RecordedEvent> replayed = new TestSink<>();
    RunReport replay =
        Pipeline.from(
                EventStore.source(
                    EventStoreSourceConfig.builder(store).timeRange(from, to).build()))
            .to(replayed)
            .workers(2)
            .build()
            .run();

    assertThat(recordedInRange).hasSize(400);
    assertThat(recordedInRange)
        .extracting(e -> e.dataAs(Order.class))
        .containsExactlyInAnyOrderElementsOf(orders(300, 400));
    assertThat(replay.invariantHolds()).isTrue();
    assertThat(replay.received()).isEqualTo(400);
    assertThat(replay.written()).isEqualTo(400);
    List<RecordedEvent> got = new ArrayList<>(replayed.values());
    got.sort(java.util.Comparator.comparingLong(RecordedEvent::position));
    assertThat(got).isEqualTo(recordedInRange);
    assertThat(replayed.envelopes())
        .allMatch(e -> e.key().equals(e.value().streamId()))
        .allMatch(e -> e.headers().get("eventId").equals(e.value().eventId()));
  }

  @Test
  void aRecordThePipelineCannotMapIsDeadLetteredAndTheRestRecorded() {
    List<Order> input = new ArrayList<>(orders(0, 50));
    input.set(17, new Order("bad", "c1", -1));
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(TestSource.of(input))
            .to(
                EventStore.sink(
                    EventStoreSinkConfig.builder(store).build(), ReplayPipelineTest::toEvent))
            .deadLetters(dead)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.written()).isEqualTo(49);
    assertThat(report.deadLettered()).isEqualTo(1);
    assertThat(store.headPosition()).isEqualTo(49);
    assertThat(store.readAll(0, 100)).extracting(RecordedEvent::eventId).doesNotContain("evt-bad");
  }

  @Test
  void recordingTheSameInputTwiceStoresItOnce() {
    RunReport first = record(orders(0, 120));
    RunReport again =
        Pipeline.from(TestSource.of(orders(0, 120)).maxPerPoll(11))
            .to(
                EventStore.sink(
                    EventStoreSinkConfig.builder(store).build(), ReplayPipelineTest::toEvent))
            .build()
            .run();

    assertThat(first.invariantHolds()).isTrue();
    assertThat(again.invariantHolds()).isTrue();
    assertThat(again.written()).isEqualTo(120);
    assertThat(store.headPosition()).isEqualTo(120);
  }

  @Test
  void stableEventIdsMakeAReplayedSourceIdempotent() {
    List<Order> input = orders(0, 40);
    java.util.function.Function<dev.collect.core.Envelope<Order>, StreamEvent> byPosition =
        env ->
            new StreamEvent(
                "all",
                EventData.builder("OrderPlaced", EventData.toJson(env.value()))
                    .eventId(StreamEvent.stableEventId(env))
                    .build());

    Pipeline.from(TestSource.of(input))
        .to(EventStore.sink(EventStoreSinkConfig.builder(store).build(), byPosition))
        .build()
        .run();
    RunReport replay =
        Pipeline.from(TestSource.of(input).resumeAfter(9))
            .to(EventStore.sink(EventStoreSinkConfig.builder(store).build(), byPosition))
            .build()
            .run();

    assertThat(replay.written()).isEqualTo(30);
    assertThat(store.headPosition()).isEqualTo(40);
  }

  @Test
  void theSourceResumesAfterItsLastCommittedEvent() {
    record(orders(0, 100));
    CheckpointStore checkpoints = CheckpointStore.directory(dir.resolve("state"));
    TestSink<RecordedEvent> firstRun = new TestSink<>();
    Pipeline.from(
            EventStore.source(
                EventStoreSourceConfig.builder(store).checkpoints(checkpoints, "replay").build()))
        .to(firstRun)
        .build()
        .run();
    record(orders(100, 25));

    TestSink<RecordedEvent> secondRun = new TestSink<>();
    RunReport report =
        Pipeline.from(
                EventStore.source(
                    EventStoreSourceConfig.builder(store)
                        .checkpoints(checkpoints, "replay")
                        .build()))
            .to(secondRun)
            .build()
            .run();

    assertThat(firstRun.size()).isEqualTo(100);
    assertThat(report.invariantHolds()).isTrue();
    assertThat(secondRun.values())
        .extracting(RecordedEvent::position)
        .containsExactlyElementsOf(IntStream.range(100, 125).mapToObj(i -> (long) i).toList());
  }

  @Test
  void withoutAStoreOfItsOwnTheSourceResumesFromThePipelinesCheckpointStoreUnderItsName() {
    record(orders(0, 100));
    CheckpointStore checkpoints = CheckpointStore.directory(dir.resolve("pipeline-state"));
    TestSink<RecordedEvent> firstRun = new TestSink<>();
    Pipeline.from(
            EventStore.source(EventStoreSourceConfig.builder(store).name("orders-replay").build()))
        .to(firstRun)
        .checkpoints(checkpoints)
        .build()
        .run();
    record(orders(100, 25));

    TestSink<RecordedEvent> secondRun = new TestSink<>();
    RunReport report =
        Pipeline.from(
                EventStore.source(
                    EventStoreSourceConfig.builder(store).name("orders-replay").build()))
            .to(secondRun)
            .checkpoints(checkpoints)
            .build()
            .run();

    assertThat(firstRun.size()).isEqualTo(100);
    assertThat(checkpoints.load("eventstore:orders-replay")).contains("125");
    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.received()).isEqualTo(25);
    assertThat(secondRun.values())
        .extracting(RecordedEvent::position)
        .containsExactlyElementsOf(IntStream.range(100, 125).mapToObj(i -> (long) i).toList());
  }
}
