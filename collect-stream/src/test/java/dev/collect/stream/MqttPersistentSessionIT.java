package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.DeadLetter;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Stage;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.stream.support.KillableSource;
import dev.collect.stream.support.MosquittoProcess;
import dev.collect.stream.support.MqttTestClient;
import dev.collect.stream.support.Pipelines;
import dev.collect.stream.support.Services.MqttBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A QoS 1 persistent session across a collector crash under load, against Mosquitto processes the
 * tests start with their own limits (the machine's broker keeps its config). One publisher numbers
 * its messages; the collector is killed with messages in flight, {@link #WHILE_DOWN} messages are
 * published while it is down (more than Mosquitto's default queue of 1,000), then it restarts.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MqttPersistentSessionIT {
  private static final int BEFORE = 500;
  private static final int WHILE_DOWN = 3000;
  private static final int AFTER = 500;

  @TempDir Path dir;

  /** What the second life of the collector saw, with the numbers both lives received. */
  private record Outcome(
      Set<Long> received,
      long sentinel,
      List<DeadLetter> deadLetters,
      double lost,
      RunReport report) {}

  @Test
  void withTheDocumentedQueueLimitEveryMessagePublishedWhileTheCollectorIsDownArrives()
      throws Exception {
    try (MosquittoProcess broker = MosquittoProcess.start(dir, "max_queued_messages 100000")) {
      Outcome outcome = crashAndRestartUnderLoad(broker.uri());

      assertThat(outcome.received()).containsExactlyElementsOf(numbers(0, outcome.sentinel()));
      assertThat(outcome.deadLetters()).isEmpty();
      assertThat(outcome.lost()).isZero();
      assertThat(outcome.report().deadLettered()).isZero();
      assertThat(outcome.report().invariantHolds()).isTrue();
    }
  }

  @Test
  void withMosquittosDefaultQueueLimitTheDroppedMessagesAreDeadLetteredNotSilent()
      throws Exception {
    try (MosquittoProcess broker = MosquittoProcess.start(dir)) {
      Outcome outcome = crashAndRestartUnderLoad(broker.uri());

      Set<Long> reportedLost = new TreeSet<>();
      for (DeadLetter letter : outcome.deadLetters()) {
        assertThat(letter.stage()).isEqualTo(Stage.SOURCE);
        assertThat(letter.reason()).isEqualTo("unreadable");
        assertThat(letter.headers())
            .containsEntry("mqtt.publisher", letter.headers().get("mqtt.topic"));
        assertThat(letter.errorClass()).isEqualTo(MessagesLostException.class.getName());
        assertThat(letter.errorMessage()).contains("max_queued_messages");
        String payload = new String(letter.payloadBytes(), StandardCharsets.UTF_8);
        long first = field(payload, "firstLost");
        long last = field(payload, "lastLost");
        assertThat(field(payload, "lost")).isEqualTo(last - first + 1);
        numbers(first, last).forEach(reportedLost::add);
      }
      Set<Long> accountedFor = new TreeSet<>(outcome.received());
      accountedFor.addAll(reportedLost);

      // Over the default queue of 1,000 the broker dropped messages, and every one is reported.
      assertThat(reportedLost).hasSizeGreaterThanOrEqualTo(WHILE_DOWN - 1100);
      assertThat(reportedLost).doesNotContainAnyElementsOf(outcome.received());
      assertThat(accountedFor).containsExactlyElementsOf(numbers(0, outcome.sentinel()));
      assertThat(outcome.lost()).isEqualTo(reportedLost.size());
      assertThat(outcome.report().deadLettered()).isEqualTo(outcome.deadLetters().size());
      assertThat(outcome.report().invariantHolds()).isTrue();
    }
  }

  private static Outcome crashAndRestartUnderLoad(String uri) throws Exception {
    String run = Long.toString(System.nanoTime());
    String topic = "collect/it/session/" + run;
    MqttSourceConfig config =
        MqttSourceConfig.builder()
            .serverUri(uri)
            .clientId("collect-it-session-" + run)
            .subscribe(topic, 1)
            .sequence(PublisherSequence.jsonField("seq"))
            .build();
    MqttTestClient publisher =
        MqttTestClient.publisher(new MqttBroker(uri, "a Mosquitto process of the test", true));

    // First life: killed while messages are in flight, queued and unacknowledged.
    KillableSource<byte[]> first = new KillableSource<>(Mqtt.source(config));
    TestSink<byte[]> firstSink = new TestSink<>();
    Pipeline firstLife = pipeline(first, firstSink, new TestDeadLetterSink(), null);
    publish(publisher, topic, 0, BEFORE);
    assertThat(firstSink.awaitSize(BEFORE / 2, Duration.ofSeconds(30))).isTrue();
    first.kill();
    firstLife.stop(Duration.ofSeconds(10));

    publish(publisher, topic, BEFORE, BEFORE + WHILE_DOWN);

    // Second life: the queued messages, then live ones.
    TestSink<byte[]> secondSink = new TestSink<>();
    TestDeadLetterSink deadLetters = new TestDeadLetterSink();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Pipeline secondLife = pipeline(Mqtt.source(config), secondSink, deadLetters, registry);
    publish(publisher, topic, BEFORE + WHILE_DOWN, BEFORE + WHILE_DOWN + AFTER);
    // A last message once the backlog is drained, so that a drop at the very end shows as a gap.
    awaitQuiet(secondSink);
    long sentinel = BEFORE + WHILE_DOWN + AFTER;
    publish(publisher, topic, sentinel, sentinel + 1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!numbersIn(secondSink).contains(sentinel) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    secondLife.flush().get(10, TimeUnit.SECONDS);
    RunReport report = secondLife.stop(Duration.ofSeconds(10));
    publisher.close();

    Set<Long> received = new TreeSet<>(numbersIn(firstSink));
    received.addAll(numbersIn(secondSink));
    double lost = registry.get("collect.mqtt.messages.lost").counter().count();
    return new Outcome(received, sentinel, deadLetters.letters(), lost, report);
  }

  private static Pipeline pipeline(
      dev.collect.core.Source<byte[]> source,
      TestSink<byte[]> sink,
      TestDeadLetterSink deadLetters,
      SimpleMeterRegistry registry)
      throws InterruptedException {
    var builder =
        Pipeline.from(source)
            .to(sink)
            .deadLetters(deadLetters)
            .commitInterval(Duration.ofMillis(20));
    if (registry != null) {
      builder.metrics(registry);
    }
    Pipeline pipeline = builder.build();
    Pipelines.startReady(pipeline);
    return pipeline;
  }

  private static void publish(MqttTestClient publisher, String topic, long from, long to) {
    for (long i = from; i < to; i++) {
      publisher.publish(topic, "{\"seq\":" + i + "}", 1, Map.of());
    }
  }

  /** Waits until nothing new arrived for a second (the broker's backlog is delivered). */
  private static void awaitQuiet(TestSink<byte[]> sink) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    int seen = -1;
    while (System.nanoTime() < deadline) {
      int now = sink.values().size();
      if (now == seen) {
        return;
      }
      seen = now;
      Thread.sleep(1000);
    }
  }

  private static Set<Long> numbersIn(TestSink<byte[]> sink) {
    return sink.values().stream()
        .map(v -> field(new String(v, StandardCharsets.UTF_8), "seq"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static long field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
    if (!m.find()) {
      throw new AssertionError("no " + name + " in " + json);
    }
    return Long.parseLong(m.group(1));
  }

  private static List<Long> numbers(long from, long toInclusive) {
    return LongStream.rangeClosed(from, toInclusive).boxed().toList();
  }
}
