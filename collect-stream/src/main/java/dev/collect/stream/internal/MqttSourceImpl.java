package dev.collect.stream.internal;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import dev.collect.core.CollectException;
import dev.collect.core.Envelope;
import dev.collect.core.MetricNames;
import dev.collect.core.PipelineContext;
import dev.collect.core.Position;
import dev.collect.core.Source;
import dev.collect.core.spi.BoundedHandOff;
import dev.collect.stream.MessagesLostException;
import dev.collect.stream.MqttPosition;
import dev.collect.stream.MqttSourceConfig;
import dev.collect.stream.StreamMetricNames;
import dev.collect.stream.internal.MqttSession.Incoming;
import dev.collect.stream.internal.MqttSession.SubAck;
import io.micrometer.core.instrument.Counter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MQTT subscriber (HiveMQ MQTT client, MQTT 5 or 3.1.1) with manual acknowledgements: a QoS 1/2
 * message is acknowledged only when the pipeline commits a position at or after it, so an unsettled
 * message is redelivered by the broker after a crash or a reconnect (persistent session). The
 * client's automatic reconnect provides the backoff and renews the subscriptions when the broker
 * lost the session. Messages are taken from the client through a reactive-streams subscription that
 * asks for one more message only for each one the pipeline took from the bounded buffer, so at most
 * {@code bufferMessages} wait here; the rest stay with the client's flow control and the broker.
 * MQTT 5's receive maximum is deliberately not set to that bound: it counts QoS 1/2 messages until
 * they are acknowledged, which here is at commit, so it would cap the whole pipeline's in-flight
 * messages and hence throughput at {@code bufferMessages} per commit interval; the client's default
 * (65,535, or less if the broker says so) applies.
 */
public final class MqttSourceImpl implements Source<byte[]> {
  private static final Logger LOG = LoggerFactory.getLogger(MqttSourceImpl.class);

  private record PendingAck(long sequence, Runnable ack) {}

  private final MqttSourceConfig config;
  private final BoundedHandOff<Envelope<byte[]>> buffer;
  private final ArrayDeque<PendingAck> pending = new ArrayDeque<>();
  private final SequenceGaps gaps;
  private volatile MqttSession session;
  private volatile Subscription subscription;
  private Counter lost;
  private long sequence;
  private volatile boolean closing;
  private volatile boolean connectedOnce;

  public MqttSourceImpl(MqttSourceConfig config) {
    this.config = config;
    // Room for every requested message and for one loss record before each of them.
    this.buffer = BoundedHandOff.ofItems(2 * config.bufferMessages());
    this.gaps = config.sequence() == null ? null : new SequenceGaps(config.sequence());
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public void open(PipelineContext context) throws Exception {
    lost =
        Counter.builder(StreamMetricNames.MQTT_MESSAGES_LOST)
            .description("messages missing from their publisher's numbering (dropped upstream)")
            .tags(MetricNames.TAG_PIPELINE, context.pipeline(), MetricNames.TAG_SOURCE, name())
            .register(context.meterRegistry());
    int keepAlive = (int) Math.min(65_535, Math.max(1, config.keepAlive().toSeconds()));
    byte[] password =
        config.password() == null
            ? null
            : new String(config.password()).getBytes(StandardCharsets.UTF_8);
    try {
      session = MqttSession.of(clientBuilder(), config, new FlowSubscriber());
      await(session.connect(keepAlive, password));
      SubAck subAck = await(session.subscribe(config.subscriptions()));
      if (subAck.refused()) {
        throw new CollectException(
            "mqtt source '"
                + name()
                + "': the broker refused a subscription (reason codes "
                + subAck.codes()
                + "): check the topic filters, the QoS and the broker's access rules for client"
                + " '"
                + config.clientId()
                + "'");
      }
    } catch (Exception e) {
      close();
      throw e;
    }
    LOG.info(
        "mqtt source '{}' connected to {} as '{}' ({})",
        name(),
        config.serverUri(),
        config.clientId(),
        config.version());
  }

  /** The client as both protocol versions have it: address, TLS, timeouts, reconnect backoff. */
  private MqttClientBuilder clientBuilder() {
    URI uri = URI.create(config.serverUri());
    int port = uri.getPort() > 0 ? uri.getPort() : config.tls() ? 8883 : 1883;
    long connectMillis = config.connectionTimeout().toMillis();
    return MqttClient.builder()
        .identifier(config.clientId())
        .serverHost(uri.getHost())
        .serverPort(port)
        .sslConfig(ssl())
        .transportConfig()
        .socketConnectTimeout(connectMillis, TimeUnit.MILLISECONDS)
        .mqttConnectTimeout(connectMillis, TimeUnit.MILLISECONDS)
        .applyTransportConfig()
        .automaticReconnect()
        .initialDelay(1, TimeUnit.SECONDS)
        .maxDelay(config.maxReconnectDelay().toMillis(), TimeUnit.MILLISECONDS)
        .applyAutomaticReconnect()
        .addDisconnectedListener(this::disconnected)
        .addConnectedListener(c -> connected());
  }

  private MqttClientSslConfig ssl() {
    if (!config.tls()) {
      return null;
    }
    MqttClientSslConfigBuilder ssl = MqttClientSslConfig.builder();
    if (config.trustManagers() != null) {
      ssl = ssl.trustManagerFactory(config.trustManagers());
    }
    if (config.keyManagers() != null) {
      ssl = ssl.keyManagerFactory(config.keyManagers());
    }
    return ssl.build();
  }

  private <T> T await(CompletableFuture<T> future)
      throws InterruptedException, ExecutionException, TimeoutException {
    return future.get(config.connectionTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
  }

  /** Notes the first connection; ends at once a reconnection under way when the source closed. */
  private void connected() {
    connectedOnce = true;
    MqttSession s = session;
    if (closing && s != null) {
      s.disconnect();
    }
  }

  private void disconnected(MqttClientDisconnectedContext context) {
    if (closing || !connectedOnce) {
      // Closed, or the first connection failed: open() reports it instead of retrying.
      context.getReconnector().reconnect(false);
      return;
    }
    LOG.warn(
        "mqtt source '{}' lost its connection, reconnecting: {}",
        name(),
        String.valueOf(context.getCause()));
  }

  /** Asks for as many messages as the buffer holds, then one per message the pipeline takes. */
  private final class FlowSubscriber implements Subscriber<Incoming> {
    @Override
    public void onSubscribe(Subscription s) {
      subscription = s;
      s.request(config.bufferMessages());
    }

    @Override
    public void onNext(Incoming message) {
      receive(message);
    }

    @Override
    public void onError(Throwable t) {
      if (!closing) {
        LOG.warn("mqtt source '{}': the message flow failed: {}", name(), t.toString());
      }
    }

    @Override
    public void onComplete() {}
  }

  private void receive(Incoming message) {
    if (closing) {
      return; // not acknowledged: the broker redelivers it to the next session
    }
    MessagesLostException gap =
        gaps == null ? null : gaps.check(message.topic(), message.payload());
    if (gap != null) {
      reportLoss(message.topic(), gap);
    }
    long seq;
    synchronized (pending) {
      seq = sequence++;
      if (message.qos() > 0) {
        pending.addLast(new PendingAck(seq, message.ack()));
      }
    }
    Map<String, String> headers = new HashMap<>();
    message.properties().forEach(headers::put);
    // The trace context only in its valid form (an invalid one is dropped).
    headers.remove(TraceContext.TRACEPARENT);
    headers.remove(TraceContext.TRACESTATE);
    headers.putAll(TraceContext.from(message.properties()::get));
    headers.put("mqtt.topic", message.topic());
    headers.put("mqtt.qos", String.valueOf(message.qos()));
    headers.put("mqtt.retained", String.valueOf(message.retained()));
    Envelope<byte[]> envelope =
        Envelope.builder(message.payload())
            .raw(message.payload())
            .key(message.topic())
            .source(config.name())
            .headers(headers)
            .position(new MqttPosition(seq, message.topic(), message.qos()))
            .build();
    hand(envelope);
  }

  /**
   * Puts a record of the gap before the message that revealed it: it has its own arrival number (no
   * broker message to acknowledge), so committing it settles only what came before.
   */
  private void reportLoss(String topic, MessagesLostException gap) {
    LOG.warn("mqtt source '{}': {}", name(), gap.getMessage());
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
            .position(new MqttPosition(seq, topic, 0))
            .failure(gap)
            .build());
  }

  /** Never waits: the subscription asked only for what the buffer has room for. */
  private void hand(Envelope<byte[]> envelope) {
    try {
      if (!buffer.offer(envelope, Duration.ZERO)) {
        throw new CollectException(
            "mqtt source '"
                + name()
                + "': the client delivered a message that was not requested, and the buffer"
                + " is full; this is a bug in Collect or the MQTT client, please report it");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public List<Envelope<byte[]>> poll(int maxRecords, Duration timeout) throws InterruptedException {
    List<Envelope<byte[]>> taken = buffer.poll(maxRecords, timeout);
    long messages = taken.stream().filter(e -> e.failure() == null).count();
    Subscription s = subscription;
    if (messages > 0 && s != null) {
      s.request(messages);
    }
    return taken;
  }

  @Override
  public void commit(Position position) {
    if (!(position instanceof MqttPosition p)) {
      throw new IllegalArgumentException("not a position of this MQTT source: " + position);
    }
    int notSent = 0;
    RuntimeException firstFailure = null;
    while (true) {
      PendingAck ack;
      synchronized (pending) {
        ack = pending.peekFirst();
        if (ack == null || ack.sequence() > p.sequence()) {
          break;
        }
        pending.pollFirst();
      }
      try {
        ack.ack().run();
      } catch (RuntimeException e) {
        // Disconnected: the broker redelivers the message, which is then acknowledged again.
        notSent++;
        if (firstFailure == null) {
          firstFailure = e;
        }
      }
    }
    if (notSent > 0) {
      // One line per commit, not per message: a disconnection fails every pending acknowledgement.
      LOG.warn(
          "mqtt source '{}': {} acknowledgements not sent (the broker redelivers those messages):"
              + " {}",
          name(),
          notSent,
          firstFailure.toString());
    }
  }

  /**
   * Disconnects, which also stops reconnecting. The message flow is left subscribed on purpose: the
   * client would acknowledge, unseen, a message that arrives for no flow; this way such a message
   * is dropped unacknowledged, and the broker sends it to the next session.
   */
  @Override
  public void close() throws Exception {
    closing = true;
    try {
      if (session != null) {
        session.disconnect().get(5, TimeUnit.SECONDS);
      }
    } catch (ExecutionException e) {
      LOG.debug("mqtt source '{}': disconnect: {}", name(), e.getCause().toString());
    }
  }
}
