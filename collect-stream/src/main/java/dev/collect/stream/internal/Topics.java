package dev.collect.stream.internal;

import dev.collect.core.CollectException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/** Topic creation that returns only once every partition's leader serves requests. */
public final class Topics {
  private Topics() {}

  /** See {@code Kafka.createTopics}. */
  public static void create(Admin admin, int partitions, Duration timeout, String... topics)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<NewTopic> newTopics =
        Stream.of(topics)
            .map(t -> new NewTopic(t, Optional.of(partitions), Optional.empty()))
            .toList();
    try {
      admin.createTopics(newTopics).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw failed(topics, e.getCause());
      }
    } catch (TimeoutException e) {
      throw failed(topics, e);
    }
    // ListOffsets is answered by a partition's leader only; until the admin client knows the new
    // topic it fails with a retriable error.
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (String topic : topics) {
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
    }
    while (true) {
      try {
        admin.listOffsets(latest).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
          throw failed(topics, e.getCause());
        }
        Thread.sleep(20);
      } catch (TimeoutException e) {
        throw failed(topics, e);
      }
    }
  }

  private static CollectException failed(String[] topics, Throwable cause) {
    return new CollectException(
        "topics " + List.of(topics) + " could not be created and served: " + cause, cause);
  }
}
