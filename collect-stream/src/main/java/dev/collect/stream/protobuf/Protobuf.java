package dev.collect.stream.protobuf;

import com.google.protobuf.Message;
import com.google.protobuf.MessageLite;
import dev.collect.core.Collector;
import dev.collect.stream.RecordSerializer;
import dev.collect.stream.avro.SchemaRegistry;
import dev.collect.stream.internal.protobuf.ProtobufCollectors;
import dev.collect.stream.internal.protobuf.ProtobufSerializers;
import java.io.IOException;

/**
 * Protobuf collectors and Kafka serialisers for generated message types ({@code protoc
 * --java_out}).
 *
 * <p>{@link #collector} parses each input's bytes as one message of the type and emits it. Bytes
 * that are not a message of the type (truncated, an invalid wire type or tag, invalid UTF-8 in a
 * {@code string} field, a null value) fail the record as {@code malformed}: it is dead-lettered
 * with protobuf's reason, which never quotes the bytes. Fields the type does not know are kept as
 * unknown fields (protobuf's own rule for schema evolution), not rejected. Thread-safe.
 *
 * <p>The {@code registry*} factories speak the registry wire format of Confluent's and Apicurio's
 * Protobuf serdes: magic byte {@code 0}, the 4-byte big-endian schema id, the message indexes
 * (zig-zag varints: their count, then the path to the message from the top-level messages of its
 * {@code .proto} file, not counting {@code map} entry types; the path {@code [0]} is written as a
 * single {@code 0}), then the message's bytes. With a {@link SchemaRegistry}, the serialiser
 * registers the type's {@code .proto} file (its source, read from the class path) and the collector
 * resolves each schema id through the registry, once per id; besides {@code malformed}, a record is
 * then dead-lettered as {@code unknown_schema} (an id the registry does not have) or {@code
 * incompatible_schema} (an id that names no {@code .proto} file, or one whose message at the
 * record's indexes is not the collector's type), and a registry that cannot be reached is a
 * transient failure, retried with the pipeline's retry policy. Collectors and serialisers are
 * thread-safe.
 */
public final class Protobuf {
  private Protobuf() {}

  /** Parses values as messages of {@code type}, a generated message class. */
  public static <T extends Message> Collector<byte[], T> collector(Class<T> type) {
    return ProtobufCollectors.binary(type);
  }

  /**
   * Parses values in the registry wire format as messages of {@code type}. A value without the
   * magic byte, shorter than its header, or whose message indexes name another message of the
   * {@code .proto} file than {@code type} is dead-lettered as {@code malformed}, saying which; the
   * schema id is not looked up (the generated type is the reader's schema).
   */
  public static <T extends Message> Collector<byte[], T> registryCollector(Class<T> type) {
    return ProtobufCollectors.registry(type);
  }

  /**
   * Parses values in the registry wire format as messages of {@code type}, resolving each schema id
   * through {@code registry}: the message the record's indexes name in that {@code .proto} file
   * must be {@code type} by full name, or the record is dead-lettered as {@code
   * incompatible_schema}; an unknown id is dead-lettered as {@code unknown_schema}.
   */
  public static <T extends Message> Collector<byte[], T> registryCollector(
      SchemaRegistry registry, Class<T> type) {
    return ProtobufCollectors.registry(registry, type);
  }

  /** Writes messages in the protobuf binary format; null writes a tombstone. */
  public static RecordSerializer<MessageLite> serializer() {
    return value -> value == null ? null : value.toByteArray();
  }

  /**
   * Writes messages in the registry wire format under {@code schemaId}, the id the registry gave
   * the message's {@code .proto} schema; null writes a tombstone.
   */
  public static RecordSerializer<Message> registrySerializer(int schemaId) {
    return ProtobufSerializers.registry(schemaId);
  }

  /**
   * Writes messages of {@code type} in the registry wire format under the id that {@code registry}
   * gives the type's {@code .proto} file, registered under {@code subject} now (for Kafka, by
   * convention {@code <topic>-value}); null writes a tombstone. The file is read from the class
   * path under its import path (e.g. {@code google/protobuf/timestamp.proto}), where protoc's build
   * plugins put it beside the generated classes.
   *
   * @throws IOException if the registry cannot be reached or refuses the schema
   * @throws IllegalArgumentException if the {@code .proto} file is not on the class path, does not
   *     declare {@code type} where the compiled class has it, or imports files other than Google's
   *     well-known types (schema references are not supported)
   */
  public static <T extends Message> RecordSerializer<T> registrySerializer(
      SchemaRegistry registry, String subject, Class<T> type) throws IOException {
    return ProtobufSerializers.registry(registry, subject, type);
  }
}
