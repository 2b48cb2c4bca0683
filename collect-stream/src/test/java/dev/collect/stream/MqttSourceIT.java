package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.CheckpointStore;
import dev.collect.core.Envelope;
import dev.collect.core.Pipeline;
import dev.collect.core.PipelineContext;
import dev.collect.core.RunReport;
import dev.collect.core.Source;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.stream.support.KillableSource;
import dev.collect.stream.support.MqttTestClient;
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
    String run = Long.toString(System.nanoTime());
    String topic = "collect/it/" + run;
    String clientId = "collect-it-" + run;
    MqttSourceConfig config =
        MqttSourceConfig.builder()
            .serverUri(broker.uri())
            .clientId(clientId)
            .version(version)
            .subscribe(topic, 1)
            .build();

    // First life: receives and even writes the messages, but dies before committing.
    KillableSource<byte[]> first = new KillableSource<>(Mqtt.source(config));
    TestSink<byte[]> firstSink = new TestSink<>();
    Pipeline firstPipeline =
        Pipeline.from(first).to(firstSink).commitInterval(Duration.ofHours(1)).build();
    firstPipeline.start();
    awaitReady(firstPipeline);
    publish(broker, topic, 10, 1, "m");
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
    third.start();
    awaitReady(third);
    publish(broker, topic, 1, 1, "m");
    assertThat(thirdSink.awaitSize(1, Duration.ofSeconds(20))).isTrue();
    RunReport thirdReport = third.stop(Duration.ofSeconds(10));

    assertThat(values(firstSink)).containsExactlyElementsOf(expected(10));
    assertThat(values(secondSink)).containsExactlyElementsOf(expected(10));
    assertThat(secondReport.invariantHolds()).isTrue();
    assertThat(secondReport.received()).isEqualTo(10);
    assertThat(values(thirdSink)).containsExactly("m0");
    assertThat(thirdReport.received()).isEqualTo(1);
    assertThat(thirdReport.invariantHolds()).isTrue();
    MqttTestClient.cleanSession(broker, clientId);
  }

  @ParameterizedTest
  @EnumSource(MqttVersion.class)
  void receivesQos0And2Subscriptions(MqttVersion version) throws Exception {
    MqttBroker broker = Services.mqtt(version);
    String run = Long.toString(System.nanoTime());
    String clientId = "collect-it-q-" + run;
    TestSink<byte[]> sink = new TestSink<>();
    Pipeline pipeline =
        Pipeline.from(
                Mqtt.source(
                    MqttSourceConfig.builder()
                        .serverUri(broker.uri())
                        .clientId(clientId)
                        .version(version)
                        .subscribe("collect/it/q0/" + run, 0)
                        .subscribe("collect/it/q2/" + run, 2)
                        .build()))
            .to(sink)
            .commitInterval(Duration.ofMillis(100))
            .build();
    pipeline.start();
    awaitReady(pipeline);

    publish(broker, "collect/it/q0/" + run, 5, 0, "m");
    publish(broker, "collect/it/q2/" + run, 5, 2, "m");
    assertThat(sink.awaitSize(10, Duration.ofSeconds(20))).isTrue();
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    assertThat(sink.envelopes())
        .extracting(e -> e.headers().get("mqtt.qos"))
        .containsOnly("0", "2")
        .hasSize(10);
    assertThat(report.invariantHolds()).isTrue();
    MqttTestClient.cleanSession(broker, clientId);
  }

  @ParameterizedTest
  @EnumSource(MqttVersion.class)
  void reconnectsAfterALostConnectionAndReceivesWhatWasPublishedMeanwhile(MqttVersion version)
      throws Exception {
    MqttBroker broker = Services.mqtt(version);
    URI address = URI.create(broker.uri());
    String run = Long.toString(System.nanoTime());
    String topic = "collect/it/reconnect/" + run;
    String clientId = "collect-it-r-" + run;
    try (TcpProxy proxy = new TcpProxy(address.getHost(), address.getPort())) {
      TestSink<byte[]> sink = new TestSink<>();
      Pipeline pipeline =
          Pipeline.from(
                  Mqtt.source(
                      MqttSourceConfig.builder()
                          .serverUri("tcp://127.0.0.1:" + proxy.port())
                          .clientId(clientId)
                          .version(version)
                          .subscribe(topic, 1)
                          .maxReconnectDelay(Duration.ofSeconds(2))
                          .build()))
              .to(sink)
              .commitInterval(Duration.ofMillis(100))
              .build();
      pipeline.start();
      awaitReady(pipeline);

      publish(broker, topic, 3, 1, "before");
      assertThat(sink.awaitSize(3, Duration.ofSeconds(20))).isTrue();
      pipeline.flush().get(10, TimeUnit.SECONDS);
      proxy.cut();
      publish(broker, topic, 3, 1, "during"); // queued by the broker for the persistent session
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
    MqttTestClient.cleanSession(broker, clientId);
  }

  @Test
  void atMostBufferMessagesWaitInTheSourceAndTheRestFollowAsThePipelineTakesThem()
      throws Exception {
    MqttBroker broker = Services.mqtt();
    String run = Long.toString(System.nanoTime());
    String topic = "collect/it/bounded/" + run;
    String clientId = "collect-it-b-" + run;
    Source<byte[]> source =
        Mqtt.source(
            MqttSourceConfig.builder()
                .serverUri(broker.uri())
                .clientId(clientId)
                .version(broker.version())
                .subscribe(topic, 1)
                .bufferMessages(5)
                .build());
    source.open(
        new PipelineContext("bounded", new SimpleMeterRegistry(), CheckpointStore.inMemory()));
    List<String> received = new ArrayList<>();
    List<Integer> batchSizes = new ArrayList<>();
    try {
      publish(broker, topic, 40, 1, "m");
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
    MqttTestClient.cleanSession(broker, clientId);
  }

  @Test
  void mqtt5UserPropertiesBecomeHeadersAndOnlyAValidTraceparentIsKept() throws Exception {
    MqttBroker broker = Services.mqtt(MqttVersion.V5);
    String run = Long.toString(System.nanoTime());
    String topic = "collect/it/props/" + run;
    String clientId = "collect-it-p-" + run;
    TestSink<byte[]> sink = new TestSink<>();
    Pipeline pipeline =
        Pipeline.from(
                Mqtt.source(
                    MqttSourceConfig.builder()
                        .serverUri(broker.uri())
                        .clientId(clientId)
                        .subscribe(topic, 1)
                        .build()))
            .to(sink)
            .commitInterval(Duration.ofMillis(100))
            .build();
    pipeline.start();
    awaitReady(pipeline);
    String parent = "00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01";

    try (MqttTestClient publisher = MqttTestClient.publisher(broker)) {
      publisher.publish(
          topic,
          "a",
          1,
          Map.of("device", "d-7", "traceparent", parent, "tracestate", "congo=t61rcWkgMzE"));
      publisher.publish(
          topic,
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
        .containsEntry("mqtt.topic", topic)
        .containsEntry("mqtt.qos", "1")
        .containsEntry("mqtt.retained", "false");
    assertThat(sink.envelopes()).allSatisfy(e -> assertThat(e.key()).isEqualTo(topic));
    assertThat(second).doesNotContainKeys("traceparent", "tracestate");
    assertThat(second).containsEntry("mqtt.qos", "1");
    assertThat(report.invariantHolds()).isTrue();
    MqttTestClient.cleanSession(broker, clientId);
  }

  @Test
  void anMqtt5SessionPastItsExpiryIntervalIsGoneWithWhatWasPublishedMeanwhile() throws Exception {
    MqttBroker broker = Services.mqtt(MqttVersion.V5);
    String run = Long.toString(System.nanoTime());
    String topic = "collect/it/expiry/" + run;
    MqttSourceConfig.Builder config =
        MqttSourceConfig.builder().clientId("collect-it-e-" + run).serverUri(broker.uri());
    MqttSourceConfig expiring =
        config.subscribe(topic, 1).sessionExpiry(Duration.ofSeconds(1)).build();
    MqttSourceConfig lasting =
        MqttSourceConfig.builder()
            .clientId("collect-it-l-" + run)
            .serverUri(broker.uri())
            .subscribe(topic, 1)
            .sessionExpiry(Duration.ofSeconds(60))
            .build();
    for (MqttSourceConfig c : List.of(expiring, lasting)) {
      Pipeline once = Pipeline.from(Mqtt.source(c)).to(new TestSink<byte[]>()).build();
      once.start();
      awaitReady(once);
      once.stop(Duration.ofSeconds(10));
    }

    Thread.sleep(3000); // past the one-second expiry
    publish(broker, topic, 2, 1, "away");
    TestSink<byte[]> expiringSink = new TestSink<>();
    TestSink<byte[]> lastingSink = new TestSink<>();
    Pipeline expiringAgain = Pipeline.from(Mqtt.source(expiring)).to(expiringSink).build();
    Pipeline lastingAgain = Pipeline.from(Mqtt.source(lasting)).to(lastingSink).build();
    expiringAgain.start();
    lastingAgain.start();
    awaitReady(expiringAgain);
    awaitReady(lastingAgain);
    assertThat(lastingSink.awaitSize(2, Duration.ofSeconds(20))).isTrue();
    publish(broker, topic, 1, 1, "back");
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

  private static void awaitReady(Pipeline pipeline) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!pipeline.isReady() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
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
