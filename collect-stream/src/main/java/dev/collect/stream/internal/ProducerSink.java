package dev.collect.stream.internal;

import dev.collect.core.PipelineContext;
import dev.collect.stream.KafkaSinkConfig;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The part every Kafka sink shares: its name, and the idempotent, {@code acks=all} producer it
 * opens in {@code open}, flushes in {@code flush} and closes in {@code close}. The producer is
 * thread-safe; a subclass only writes.
 */
abstract class ProducerSink {
  final KafkaSinkConfig config;
  KafkaProducer<byte[], byte[]> producer;

  ProducerSink(KafkaSinkConfig config) {
    this.config = config;
  }

  public String name() {
    return config.name();
  }

  public void open(PipelineContext context) {
    producer = create(config, context);
  }

  public void flush() {
    producer.flush();
  }

  public void close() {
    if (producer != null) {
      producer.close();
    }
  }

  /** The producer of sink {@code config} in pipeline {@code context}. */
  private static KafkaProducer<byte[], byte[]> create(
      KafkaSinkConfig config, PipelineContext context) {
    String clientId = "collect-" + context.pipeline() + "-" + config.name();
    Properties props = new Properties();
    props.putAll(config.properties());
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(config.linger().toMillis()));
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(config.batchBytes()));
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.compression());
    int delivery = (int) Math.min(Integer.MAX_VALUE, config.deliveryTimeout().toMillis());
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(delivery));
    // delivery.timeout.ms must cover linger and one request: keep the request timeout below it.
    props.putIfAbsent(
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.min(30_000, delivery / 2)));
    props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
