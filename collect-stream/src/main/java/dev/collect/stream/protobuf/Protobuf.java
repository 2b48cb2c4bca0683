package dev.collect.stream.protobuf;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.collect.core.Collector;
import dev.collect.core.MalformedRecordException;
import dev.collect.stream.RecordSerializer;
import java.util.Objects;

/**
 * Protobuf collectors and Kafka serialisers for generated message types ({@code protoc
 * --java_out}).
 *
 * <p>{@link #collector} parses each input's bytes as one message of the type and emits it. Bytes
 * that are not a message of the type (truncated, an invalid wire type or tag, invalid UTF-8 in a
 * {@code string} field, a null value) fail the record as {@code malformed}: it is dead-lettered
 * with protobuf's reason, which never quotes the bytes. Fields the type does not know are kept as
 * unknown fields (protobuf's own rule for schema evolution), not rejected. Thread-safe.
 */
public final class Protobuf {
  private Protobuf() {}

  /** Parses values as messages of {@code type}, a generated message class. */
  public static <T extends Message> Collector<byte[], T> collector(Class<T> type) {
    Objects.requireNonNull(type, "type");
    T prototype;
    try {
      prototype = type.cast(type.getMethod("getDefaultInstance").invoke(null));
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(
          type.getName() + " is not a generated protobuf message class", e);
    }
    @SuppressWarnings("unchecked")
    Parser<T> parser = (Parser<T>) prototype.getParserForType();
    String name = prototype.getDescriptorForType().getFullName();
    return (input, output) -> {
      byte[] bytes = input.value();
      if (bytes == null) {
        throw new MalformedRecordException(
            "no Protobuf bytes for " + name + ": the record has a null value (a tombstone)");
      }
      try {
        output.emit(parser.parseFrom(bytes));
      } catch (InvalidProtocolBufferException e) {
        throw new MalformedRecordException(
            "malformed Protobuf for " + name + ": " + e.getMessage(), e);
      }
    };
  }

  /** Writes messages in the protobuf binary format; null writes a tombstone. */
  public static RecordSerializer<MessageLite> serializer() {
    return value -> value == null ? null : value.toByteArray();
  }
}
