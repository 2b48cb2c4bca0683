package dev.collect.stream.internal;

import dev.collect.core.Envelope;
import dev.collect.core.RecordsRejectedException;
import dev.collect.core.RetriableCollectException;
import dev.collect.core.Sink;
import dev.collect.stream.KafkaSinkConfig;
import dev.collect.stream.RecordSerializer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Sends each batch through an idempotent producer and waits for every acknowledgement before {@code
 * write} returns, so a record the broker refuses is reported as rejected (and dead-lettered) and a
 * batch that timed out is retried by the pipeline. Thread-safe, like the producer.
 */
public final class KafkaSinkImpl<T> extends ProducerSink implements Sink<T> {
  private final RecordSerializer<? super T> serializer;

  public KafkaSinkImpl(KafkaSinkConfig config, RecordSerializer<? super T> serializer) {
    super(config);
    this.serializer = serializer;
  }

  @Override
  public void write(List<Envelope<T>> batch) throws Exception {
    Map<Integer, Throwable> rejected = new HashMap<>();
    List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Envelope<T> record = batch.get(i);
      byte[] value;
      try {
        value = serializer.serialize(record.value());
      } catch (Exception e) {
        rejected.put(i, e);
        sent.add(null);
        continue;
      }
      byte[] key =
          record.key() == null
              ? null
              : String.valueOf(record.key()).getBytes(StandardCharsets.UTF_8);
      Long timestamp = record.eventTime() == null ? null : record.eventTime().toEpochMilli();
      sent.add(producer.send(new ProducerRecord<>(config.topic(), null, timestamp, key, value)));
    }
    Exception transientFailure = null;
    for (int i = 0; i < sent.size(); i++) {
      Future<RecordMetadata> future = sent.get(i);
      if (future == null) {
        continue;
      }
      try {
        future.get();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RetriableException || cause instanceof TimeoutException) {
          transientFailure = transientFailure == null ? (Exception) cause : transientFailure;
        } else {
          rejected.put(i, cause);
        }
      }
    }
    if (transientFailure != null) {
      // Re-sending the whole batch may duplicate the records that did arrive: at-least-once.
      throw new RetriableCollectException(
          "kafka sink '" + name() + "' could not deliver to topic '" + config.topic() + "'",
          transientFailure);
    }
    if (!rejected.isEmpty()) {
      throw new RecordsRejectedException(rejected);
    }
  }

  @Override
  public boolean isThreadSafe() {
    return true;
  }
}
