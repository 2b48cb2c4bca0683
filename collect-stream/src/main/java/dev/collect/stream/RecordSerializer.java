package dev.collect.stream;

import org.jspecify.annotations.Nullable;

/**
 * Turns a record into the bytes of a Kafka record value. A failure rejects that one record (it is
 * dead-lettered), not the batch. Must be thread-safe.
 *
 * @param <T> the record type
 */
@FunctionalInterface
public interface RecordSerializer<T> {

  /** The value's bytes; null writes a tombstone. */
  byte @Nullable [] serialize(T value) throws Exception;
}
