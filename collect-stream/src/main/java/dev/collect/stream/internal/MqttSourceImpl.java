package dev.collect.stream.internal;

import dev.collect.core.Envelope;
import dev.collect.core.MetricNames;
import dev.collect.core.PipelineContext;
import dev.collect.core.Position;
import dev.collect.core.Source;
import dev.collect.core.spi.BoundedHandOff;
import dev.collect.stream.MessagesLostException;
import dev.collect.stream.MqttPosition;
import dev.collect.stream.MqttSourceConfig;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MQTT subscriber (Eclipse Paho) with manual acknowledgements: a QoS 1/2 message is acknowledged
 * only when the pipeline commits a position at or after it, so an unsettled message is redelivered
 * by the broker after a crash or a reconnect (persistent session). Paho's automatic reconnect
 * provides the backoff; subscriptions are renewed after each reconnect in case the broker lost the
 * session. Received messages wait in a bounded buffer: when it is full, Paho's callback thread
 * waits, which stops reading from the socket and leaves further messages with the broker.
 */
public final class MqttSourceImpl implements Source<byte[]>, MqttCallbackExtended {
  private static final Logger log = LoggerFactory.getLogger(MqttSourceImpl.class);

  private record PendingAck(long sequence, int messageId, int qos) {}

  private final MqttSourceConfig config;
  private final BoundedHandOff<Envelope<byte[]>> buffer;
  private final ArrayDeque<PendingAck> pending = new ArrayDeque<>();
  private final ExecutorService resubscriber =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "collect-mqtt-resubscribe");
            t.setDaemon(true);
            return t;
          });
  private final SequenceGaps gaps;
  private MqttClient client;
  private Counter lost;
  private long sequence;
  private volatile boolean closing;

  public MqttSourceImpl(MqttSourceConfig config) {
    this.config = config;
    this.buffer = BoundedHandOff.ofItems(config.bufferMessages());
    this.gaps = config.sequence() == null ? null : new SequenceGaps(config.sequence());
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public void open(PipelineContext context) throws MqttException {
    lost =
        Counter.builder("collect.mqtt.messages.lost")
            .description("messages missing from their publisher's numbering (dropped upstream)")
            .tags(MetricNames.TAG_PIPELINE, context.pipeline(), MetricNames.TAG_SOURCE, name())
            .register(context.meterRegistry());
    client = new MqttClient(config.serverUri(), config.clientId(), new MemoryPersistence());
    // Before connect: a persistent session may deliver queued messages at once.
    client.setManualAcks(true);
    client.setCallback(this);
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(config.cleanSession());
    options.setAutomaticReconnect(true);
    options.setMaxReconnectDelay((int) config.maxReconnectDelay().toMillis());
    options.setConnectionTimeout((int) Math.max(1, config.connectionTimeout().toSeconds()));
    options.setKeepAliveInterval((int) Math.max(1, config.keepAlive().toSeconds()));
    if (config.username() != null) {
      options.setUserName(config.username());
      options.setPassword(config.password());
    }
    if (config.socketFactory() != null) {
      options.setSocketFactory(config.socketFactory());
    }
    client.connect(options);
    subscribe();
    log.info(
        "mqtt source '{}' connected to {} as '{}'", name(), config.serverUri(), config.clientId());
  }

  private void subscribe() throws MqttException {
    String[] filters = config.subscriptions().keySet().toArray(new String[0]);
    int[] qos = config.subscriptions().values().stream().mapToInt(Integer::intValue).toArray();
    client.subscribe(filters, qos);
  }

  @Override
  public void messageArrived(String topic, MqttMessage message) throws InterruptedException {
    byte[] payload = message.getPayload();
    MessagesLostException gap = gaps == null ? null : gaps.check(topic, payload);
    if (gap != null) {
      reportLoss(topic, gap);
    }
    long seq;
    synchronized (pending) {
      seq = sequence++;
      if (message.getQos() > 0) {
        pending.addLast(new PendingAck(seq, message.getId(), message.getQos()));
      }
    }
    Envelope<byte[]> envelope =
        Envelope.builder(payload)
            .raw(payload)
            .key(topic)
            .source(config.name())
            .headers(
                Map.of(
                    "mqtt.topic", topic,
                    "mqtt.qos", String.valueOf(message.getQos()),
                    "mqtt.retained", String.valueOf(message.isRetained()),
                    "mqtt.duplicate", String.valueOf(message.isDuplicate())))
            .position(new MqttPosition(seq, topic, message.getId(), message.getQos()))
            .build();
    hand(envelope);
  }

  /**
   * Puts a record of the gap before the message that revealed it: it has its own arrival number (no
   * broker message to acknowledge), so committing it settles only what came before.
   */
  private void reportLoss(String topic, MessagesLostException gap) throws InterruptedException {
    log.warn("mqtt source '{}': {}", name(), gap.getMessage());
    lost.increment(gap.count());
    byte[] description =
        ("{\"lost\":"
                + gap.count()
                + ",\"firstLost\":"
                + gap.firstLost()
                + ",\"lastLost\":"
                + gap.lastLost()
                + "}")
            .getBytes(StandardCharsets.UTF_8);
    long seq;
    synchronized (pending) {
      seq = sequence++;
    }
    hand(
        Envelope.builder(description)
            .raw(description)
            .key(topic)
            .source(config.name())
            .headers(Map.of("mqtt.topic", topic, "mqtt.publisher", gap.publisher()))
            .position(new MqttPosition(seq, topic, 0, 0))
            .failure(gap)
            .build());
  }

  private void hand(Envelope<byte[]> envelope) throws InterruptedException {
    while (!buffer.offer(envelope, Duration.ofMillis(200))) {
      if (closing) {
        // Not acknowledged: the broker redelivers it to the next session.
        return;
      }
    }
  }

  @Override
  public List<Envelope<byte[]>> poll(int maxRecords, Duration timeout) throws InterruptedException {
    return buffer.poll(maxRecords, timeout);
  }

  @Override
  public void commit(Position position) {
    if (!(position instanceof MqttPosition p)) {
      throw new IllegalArgumentException("not a position of this MQTT source: " + position);
    }
    while (true) {
      PendingAck ack;
      synchronized (pending) {
        ack = pending.peekFirst();
        if (ack == null || ack.sequence() > p.sequence()) {
          return;
        }
        pending.pollFirst();
      }
      try {
        client.messageArrivedComplete(ack.messageId(), ack.qos());
      } catch (MqttException e) {
        // Disconnected: the broker redelivers the message, which is then acknowledged again.
        log.warn("mqtt source '{}': acknowledgement not sent: {}", name(), e.toString());
      }
    }
  }

  @Override
  public void connectComplete(boolean reconnect, String serverUri) {
    if (reconnect) {
      log.info("mqtt source '{}' reconnected to {}", name(), serverUri);
      // Not on Paho's callback thread: subscribing waits for an answer that thread delivers.
      resubscriber.execute(
          () -> {
            try {
              subscribe();
            } catch (MqttException e) {
              log.warn("mqtt source '{}': resubscribing failed: {}", name(), e.toString());
            }
          });
    }
  }

  @Override
  public void connectionLost(Throwable cause) {
    log.warn(
        "mqtt source '{}' lost its connection, reconnecting: {}", name(), String.valueOf(cause));
  }

  @Override
  public void deliveryComplete(IMqttDeliveryToken token) {}

  @Override
  public void close() throws MqttException {
    closing = true;
    resubscriber.shutdownNow();
    if (client != null) {
      try {
        if (client.isConnected()) {
          client.disconnect(2000);
        }
      } finally {
        client.close(true);
      }
    }
  }
}
