package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.stream.support.KillableSource;
import dev.collect.stream.support.Services;
import dev.collect.stream.support.TcpProxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The MQTT source against the machine's Mosquitto ({@code MQTT_URI}). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MqttSourceIT {

  @Test
  void unsettledQos1MessagesAreNotAcknowledgedAndComeBackAfterARestart() throws Exception {
    String uri = Services.mqttUri();
    String run = Long.toString(System.nanoTime());
    String topic = "collect/it/" + run;
    String clientId = "collect-it-" + run;
    MqttSourceConfig config =
        MqttSourceConfig.builder().serverUri(uri).clientId(clientId).subscribe(topic, 1).build();

    // First life: receives and even writes the messages, but dies before committing.
    KillableSource<byte[]> first = new KillableSource<>(Mqtt.source(config));
    TestSink<byte[]> firstSink = new TestSink<>();
    Pipeline firstPipeline =
        Pipeline.from(first).to(firstSink).commitInterval(Duration.ofHours(1)).build();
    firstPipeline.start();
    awaitReady(firstPipeline);
    publish(uri, topic, 10, 1);
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
    publish(uri, topic, 1, 1);
    assertThat(thirdSink.awaitSize(1, Duration.ofSeconds(20))).isTrue();
    RunReport thirdReport = third.stop(Duration.ofSeconds(10));

    assertThat(values(firstSink)).containsExactlyElementsOf(expected(10));
    assertThat(values(secondSink)).containsExactlyElementsOf(expected(10));
    assertThat(secondSink.envelopes())
        .allSatisfy(e -> assertThat(e.headers()).containsEntry("mqtt.duplicate", "true"));
    assertThat(secondReport.invariantHolds()).isTrue();
    assertThat(secondReport.received()).isEqualTo(10);
    assertThat(values(thirdSink)).containsExactly("m0");
    assertThat(thirdReport.received()).isEqualTo(1);
    assertThat(thirdReport.invariantHolds()).isTrue();
    cleanSession(uri, clientId);
  }

  @Test
  void receivesQos0And2Subscriptions() throws Exception {
    String uri = Services.mqttUri();
    String run = Long.toString(System.nanoTime());
    String clientId = "collect-it-q-" + run;
    TestSink<byte[]> sink = new TestSink<>();
    Pipeline pipeline =
        Pipeline.from(
                Mqtt.source(
                    MqttSourceConfig.builder()
                        .serverUri(uri)
                        .clientId(clientId)
                        .subscribe("collect/it/q0/" + run, 0)
                        .subscribe("collect/it/q2/" + run, 2)
                        .build()))
            .to(sink)
            .commitInterval(Duration.ofMillis(100))
            .build();
    pipeline.start();
    awaitReady(pipeline);

    publish(uri, "collect/it/q0/" + run, 5, 0);
    publish(uri, "collect/it/q2/" + run, 5, 2);
    assertThat(sink.awaitSize(10, Duration.ofSeconds(20))).isTrue();
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    assertThat(sink.envelopes())
        .extracting(e -> e.headers().get("mqtt.qos"))
        .containsOnly("0", "2")
        .hasSize(10);
    assertThat(report.invariantHolds()).isTrue();
    cleanSession(uri, clientId);
  }

  @Test
  void reconnectsAfterALostConnectionAndReceivesWhatWasPublishedMeanwhile() throws Exception {
    String uri = Services.mqttUri();
    java.net.URI broker = java.net.URI.create(uri);
    String run = Long.toString(System.nanoTime());
    String topic = "collect/it/reconnect/" + run;
    String clientId = "collect-it-r-" + run;
    try (TcpProxy proxy = new TcpProxy(broker.getHost(), broker.getPort())) {
      TestSink<byte[]> sink = new TestSink<>();
      Pipeline pipeline =
          Pipeline.from(
                  Mqtt.source(
                      MqttSourceConfig.builder()
                          .serverUri("tcp://127.0.0.1:" + proxy.port())
                          .clientId(clientId)
                          .subscribe(topic, 1)
                          .maxReconnectDelay(Duration.ofSeconds(2))
                          .build()))
              .to(sink)
              .commitInterval(Duration.ofMillis(100))
              .build();
      pipeline.start();
      awaitReady(pipeline);

      publish(uri, topic, 3, 1, "before");
      assertThat(sink.awaitSize(3, Duration.ofSeconds(20))).isTrue();
      pipeline.flush().get(10, TimeUnit.SECONDS);
      proxy.cut();
      publish(uri, topic, 3, 1, "during"); // queued by the broker for the persistent session
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!values(sink).contains("during2") && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      pipeline.flush().get(10, TimeUnit.SECONDS);
      RunReport report = pipeline.stop(Duration.ofSeconds(10));

      assertThat(proxy.connections()).isGreaterThanOrEqualTo(2);
      // An acknowledgement cut off with the connection may bring a "before" message twice.
      assertThat(new java.util.TreeSet<>(values(sink)))
          .containsExactly("before0", "before1", "before2", "during0", "during1", "during2");
      assertThat(report.invariantHolds()).isTrue();
    }
    cleanSession(uri, clientId);
  }

  private static void awaitReady(Pipeline pipeline) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!pipeline.isReady() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  private static void publish(String uri, String topic, int count, int qos) throws Exception {
    publish(uri, topic, count, qos, "m");
  }

  private static void publish(String uri, String topic, int count, int qos, String prefix)
      throws Exception {
    MqttClient publisher =
        new MqttClient(uri, "collect-it-pub-" + System.nanoTime(), new MemoryPersistence());
    publisher.connect();
    for (int i = 0; i < count; i++) {
      MqttMessage message = new MqttMessage((prefix + i).getBytes(StandardCharsets.UTF_8));
      message.setQos(qos);
      publisher.publish(topic, message);
    }
    publisher.disconnect();
    publisher.close();
  }

  /** Removes the broker's persistent session of {@code clientId}. */
  private static void cleanSession(String uri, String clientId) throws Exception {
    MqttClient client = new MqttClient(uri, clientId, new MemoryPersistence());
    org.eclipse.paho.client.mqttv3.MqttConnectOptions options =
        new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
    options.setCleanSession(true);
    client.connect(options);
    client.disconnect();
    client.close();
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
