package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.BatchPolicy;
import dev.collect.core.CheckpointStore;
import dev.collect.core.Envelope;
import dev.collect.core.Pipeline;
import dev.collect.core.PipelineContext;
import dev.collect.core.RunReport;
import dev.collect.core.Source;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.stream.support.GateSink;
import dev.collect.stream.support.KillableSource;
import dev.collect.stream.support.MqttRun;
import dev.collect.stream.support.MqttTestClient;
import dev.collect.stream.support.Pipelines;
import dev.collect.stream.support.Services;
import dev.collect.stream.support.Services.MqttBroker;
import dev.collect.stream.support.TcpProxy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The MQTT source against a real broker ({@link Services#mqtt()}), each delivery case under MQTT 5
 * and 3.1.1; the MQTT 5 cases skip where only Moquette (3.1.1) is available, outside CI.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MqttSourceIT {

  @ParameterizedTest
  @EnumSource(MqttVersion.class)
  void unsettledQos1MessagesAreNotAcknowledgedAndComeBackAfterARestart(MqttVersion version)
      throws Exception {
    MqttBroker broker = Services.mqtt(version);
    MqttRun run = MqttRun.named("unsettled");
    MqttSourceConfig config = run.sourceConfig(broker.uri()).version(version).build();

    // First life: receives and even writes the messages, but dies before committing.
    KillableSource<byte[]> first = new KillableSource<>(Mqtt.source(config));
    TestSink<byte[]> firstSink = new TestSink<>();
    Pipeline firstPipeline =
        Pipeline.from(first).to(firstSink).commitInterval(Duration.ofHours(1)).build();
    Pipelines.startReady(firstPipeline);
    publish(broker, run.topic(), 10, 1, "m");
    assertThat(firstSink.awaitSize(10, Duration.ofSeconds(20))).isTrue();
    first.kill();
    firstPipeline.stop(Duration.ofSeconds(10));

    // Second life, same client id: the broker redelivers all ten; settling acknowledges them.
    TestSink<byte[]> secondSink = new TestSink<>();
    Pipeline second =
        Pipeline.from(Mqtt.source(config))
            .to(secondSink)
            .deadLetters(new TestDeadLetterSink())
            .commitInterval(Duration.ofMillis(100))
            .build();
    second.start();
    assertThat(secondSink.awaitSize(10, Duration.ofSeconds(20))).isTrue();
    second.flush().get(10, TimeUnit.SECONDS);
    RunReport secondReport = second.stop(Duration.ofSeconds(10));

    // Third life: nothing is left, everything was acknowledged once settled.
    TestSink<byte[]> thirdSink = new TestSink<>();
    Pipeline third = Pipeline.from(Mqtt.source(config)).to(thirdSink).build();
    Pipelines.startReady(third);
    publish(broker, run.topic(), 1, 1, "m");
    assertThat(thirdSink.awaitSize(1, Duration.ofSeconds(20))).isTrue();
    RunReport thirdReport = third.stop(Duration.ofSeconds(10));

    assertThat(values(firstSink)).containsExactlyElementsOf(expected(10));
    assertThat(values(secondSink)).containsExactlyElementsOf(expected(10));
    assertThat(secondReport.invariantHolds()).isTrue();
    assertThat(secondReport.received()).isEqualTo(10);
    assertThat(values(thirdSink)).containsExactly("m0");
    assertThat(thirdReport.received()).isEqualTo(1);
    assertThat(thirdReport.invariantHolds()).isTrue();
    MqttTestClient.cleanSession(broker, run.clientId());
  }

  @ParameterizedTest
  @EnumSource(MqttVersion.class)
  void onlyTheUnsettledTailComesBackAfterACrashInTheMiddleOfTheMessages(MqttVersion version)
      throws Exception {
    MqttBroker broker = Services.mqtt(version);
    MqttRun run = MqttRun.named("partial");
    MqttSourceConfig config = run.sourceConfig(broker.uri()).version(version).build();

    // First life: one message per poll and per sink batch; the sink settles m0..m3, blocks on m4
    // (m5..m9 wait behind it), and the process dies once m0..m3 were committed.
    KillableSource<byte[]> first = new KillableSource<>(Mqtt.source(config));
    GateSink<byte[]> gate = new GateSink<>(4);
    Pipeline firstPipeline =
        Pipeline.from(first)
            .to(gate)
            .batch(BatchPolicy.ofRecords(1))
            .commitInterval(Duration.ofMillis(20))
            .build();
    Pipelines.startReady(firstPipeline);
    publish(broker, run.topic(), 10, 1, "m");
    awaitTrue(() -> gate.isBlocked() && first.deliveredCount() == 10);
    awaitTrue(() -> first.lastCommitted() instanceof MqttPosition p && p.sequence() == 3); // m0..m3
    first.kill();
    gate.crash();
    RunReport crashed = firstPipeline.awaitTermination(Duration.ofSeconds(10));

    // Second life, same client id: the broker redelivers exactly the unacknowledged tail.
    TestSink<byte[]> secondSink = new TestSink<>();
    Pipeline second =
        Pipeline.from(Mqtt.source(config))
            .to(secondSink)
            .commitInterval(Duration.ofMillis(50))
            .build();
    second.start();
    assertThat(secondSink.awaitSize(6, Duration.ofSeconds(20))).isTrue();
    second.flush().get(10, TimeUnit.SECONDS);
    RunReport secondReport = second.stop(Duration.ofSeconds(10));

    assertThat(crashed.status()).isEqualTo(RunReport.Status.FAILED);
    assertThat(gate.written())
        .extracting(v -> new String(v, StandardCharsets.UTF_8))
        .containsExactly("m0", "m1", "m2", "m3");
    assertThat(values(secondSink)).containsExactly("m4", "m5", "m6", "m7", "m8", "m9");
    assertThat(secondReport.received()).isEqualTo(6);
    assertThat(secondReport.invariantHolds()).isTrue();
    MqttTestClient.cleanSession(broker, run.clientId());
  }

  private static void awaitTrue(java.util.function.BooleanSupplier check)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!check.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 20 s");
      }
      Thread.sleep(10);
    }
  }

  @ParameterizedTest
  @EnumSource(MqttVersion.class)
  void receivesQos0And2Subscriptions(MqttVersion version) throws Exception {
    MqttBroker broker = Services.mqtt(version);
    MqttRun run = MqttRun.named("q");
    TestSink<byte[]> sink = new TestSink<>();
    Pipeline pipeline =
        Pipeline.from(
                Mqtt.source(
                    MqttSourceConfig.builder()
                        .serverUri(broker.uri())
                        .clientId(run.clientId())
                        .version(version)
                        .subscribe(run.topic() + "/q0", 0)
                        .subscribe(run.topic() + "/q2", 2)
                        .build()))
            .to(sink)
            .commitInterval(Duration.ofMillis(100))
            .build();
    Pipelines.startReady(pipeline);

    publish(broker, run.topic() + "/q0", 5, 0, "m");
    publish(broker, run.topic() + "/q2", 5, 2, "m");
    assertThat(sink.awaitSize(10, Duration.ofSeconds(20))).isTrue();
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    assertThat(sink.envelopes())
        .extracting(e -> e.headers().get("mqtt.qos"))
        .containsOnly("0", "2")
        .hasSize(10);
    assertThat(report.invariantHolds()).isTrue();
    MqttTestClient.cleanSession(broker, run.clientId());
  }

  @ParameterizedTest
  @EnumSource(MqttVersion.class)
  void reconnectsAfterALostConnectionAndReceivesWhatWasPublishedMeanwhile(MqttVersion version)
      throws Exception {
    MqttBroker broker = Services.mqtt(version);
    URI address = URI.create(broker.uri());
    MqttRun run = MqttRun.named("reconnect");
    try (TcpProxy proxy = new TcpProxy(address.getHost(), address.getPort())) {
      TestSink<byte[]> sink = new TestSink<>();
      Pipeline pipeline =
          Pipeline.from(
                  Mqtt.source(
                      run.sourceConfig("tcp://127.0.0.1:" + proxy.port())
                          .version(version)
                          .maxReconnectDelay(Duration.ofSeconds(2))
                          .build()))
              .to(sink)
              .commitInterval(Duration.ofMillis(100))
              .build();
      Pipelines.startReady(pipeline);

      publish(broker, run.topic(), 3, 1, "before");
      assertThat(sink.awaitSize(3, Duration.ofSeconds(20))).isTrue();
      pipeline.flush().get(10, TimeUnit.SECONDS);
      proxy.cut();
      publish(
          broker, run.topic(), 3, 1, "during"); // queued by the broker for the persistent session
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!values(sink).contains("during2") && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      pipeline.flush().get(10, TimeUnit.SECONDS);
      RunReport report = pipeline.stop(Duration.ofSeconds(10));

      assertThat(proxy.connections()).isGreaterThanOrEqualTo(2);
      // An acknowledgement cut off with the connection may bring a "before" message twice.
      assertThat(new TreeSet<>(values(sink)))
          .containsExactly("before0", "before1", "before2", "during0", "during1", "during2");
      assertThat(report.invariantHolds()).isTrue();
    }
    MqttTestClient.cleanSession(broker, run.clientId());
  }

  @Test
  void atMostBufferMessagesWaitInTheSourceAndTheRestFollowAsThePipelineTakesThem()
      throws Exception {
    MqttBroker broker = Services.mqtt();
    MqttRun run = MqttRun.named("bounded");
    Source<byte[]> source =
        Mqtt.source(
            run.sourceConfig(broker.uri()).version(broker.version()).bufferMessages(5).build());
    source.open(
        new PipelineContext("bounded", new SimpleMeterRegistry(), CheckpointStore.inMemory()));
    List<String> received = new ArrayList<>();
    List<Integer> batchSizes = new ArrayList<>();
    try {
      publish(broker, run.topic(), 40, 1, "m");
      Thread.sleep(500); // all forty are with the broker and the client by now

      while (received.size() < 40) {
        List<Envelope<byte[]>> batch = source.poll(100, Duration.ofSeconds(10));
        if (batch.isEmpty()) {
          break;
        }
        batchSizes.add(batch.size());
        batch.forEach(e -> received.add(new String(e.value(), StandardCharsets.UTF_8)));
        source.commit(batch.get(batch.size() - 1).position());
      }
    } finally {
      source.close();
    }

    assertThat(batchSizes.get(0)).isEqualTo(5);
    assertThat(batchSizes).allSatisfy(size -> assertThat(size).isBetween(1, 5));
    assertThat(received).containsExactlyElementsOf(expected(40));
    MqttTestClient.cleanSession(broker, run.clientId());
  }

  @Test
  void mqtt5UserPropertiesBecomeHeadersAndOnlyAValidTraceparentIsKept() throws Exception {
    MqttBroker broker = Services.mqtt(MqttVersion.V5);
    MqttRun run = MqttRun.named("props");
    TestSink<byte[]> sink = new TestSink<>();
    Pipeline pipeline =
        Pipeline.from(Mqtt.source(run.sourceConfig(broker.uri()).build()))
            .to(sink)
            .commitInterval(Duration.ofMillis(100))
            .build();
    Pipelines.startReady(pipeline);
    String parent = "00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01";

    try (MqttTestClient publisher = MqttTestClient.publisher(broker)) {
      publisher.publish(
          run.topic(),
          "a",
          1,
          Map.of("device", "d-7", "traceparent", parent, "tracestate", "congo=t61rcWkgMzE"));
      publisher.publish(
          run.topic(),
          "b",
          1,
          Map.of("traceparent", "not-a-trace", "tracestate", "x=y", "mqtt.qos", "9"));
    }
    assertThat(sink.awaitSize(2, Duration.ofSeconds(20))).isTrue();
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    Map<String, String> first = sink.envelopes().get(0).headers();
    Map<String, String> second = sink.envelopes().get(1).headers();
    assertThat(first)
        .containsEntry("device", "d-7")
        .containsEntry("traceparent", parent)
        .containsEntry("tracestate", "congo=t61rcWkgMzE")
        .containsEntry("mqtt.topic", run.topic())
        .containsEntry("mqtt.qos", "1")
        .containsEntry("mqtt.retained", "false");
    assertThat(sink.envelopes()).allSatisfy(e -> assertThat(e.key()).isEqualTo(run.topic()));
    assertThat(second).doesNotContainKeys("traceparent", "tracestate");
    assertThat(second).containsEntry("mqtt.qos", "1");
    assertThat(report.invariantHolds()).isTrue();
    MqttTestClient.cleanSession(broker, run.clientId());
  }

  @Test
  void anMqtt5SessionPastItsExpiryIntervalIsGoneWithWhatWasPublishedMeanwhile() throws Exception {
    MqttBroker broker = Services.mqtt(MqttVersion.V5);
    MqttRun run = MqttRun.named("expiry");
    MqttSourceConfig expiring =
        run.sourceConfig(broker.uri()).sessionExpiry(Duration.ofSeconds(1)).build();
    MqttSourceConfig lasting =
        run.sourceConfig(broker.uri())
            .clientId(run.clientId() + "-lasting")
            .sessionExpiry(Duration.ofSeconds(60))
            .build();
    for (MqttSourceConfig c : List.of(expiring, lasting)) {
      Pipeline once = Pipeline.from(Mqtt.source(c)).to(new TestSink<byte[]>()).build();
      Pipelines.startReady(once);
      once.stop(Duration.ofSeconds(10));
    }

    Thread.sleep(3000); // past the one-second expiry
    publish(broker, run.topic(), 2, 1, "away");
    TestSink<byte[]> expiringSink = new TestSink<>();
    TestSink<byte[]> lastingSink = new TestSink<>();
    Pipeline expiringAgain = Pipeline.from(Mqtt.source(expiring)).to(expiringSink).build();
    Pipeline lastingAgain = Pipeline.from(Mqtt.source(lasting)).to(lastingSink).build();
    expiringAgain.start();
    lastingAgain.start();
    Pipelines.awaitReady(expiringAgain);
    Pipelines.awaitReady(lastingAgain);
    assertThat(lastingSink.awaitSize(2, Duration.ofSeconds(20))).isTrue();
    publish(broker, run.topic(), 1, 1, "back");
    assertThat(expiringSink.awaitSize(1, Duration.ofSeconds(20))).isTrue();
    assertThat(lastingSink.awaitSize(3, Duration.ofSeconds(20))).isTrue();
    RunReport expiringReport = expiringAgain.stop(Duration.ofSeconds(10));
    RunReport lastingReport = lastingAgain.stop(Duration.ofSeconds(10));

    assertThat(values(expiringSink)).containsExactly("back0");
    assertThat(values(lastingSink)).containsExactly("away0", "away1", "back0");
    assertThat(expiringReport.invariantHolds()).isTrue();
    assertThat(lastingReport.invariantHolds()).isTrue();
    MqttTestClient.cleanSession(broker, expiring.clientId());
    MqttTestClient.cleanSession(broker, lasting.clientId());
  }

  private static void publish(MqttBroker broker, String topic, int count, int qos, String prefix) {
    try (MqttTestClient publisher = MqttTestClient.publisher(broker)) {
      publisher.publish(topic, count, qos, prefix);
    }
  }

  private static List<String> values(TestSink<byte[]> sink) {
    List<String> out = new ArrayList<>();
    for (byte[] v : sink.values()) {
      out.add(new String(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  private static List<String> expected(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("m" + i);
    }
    return out;
  }
}
