package dev.collect.stream.protobuf;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.collect.core.Collector;
import dev.collect.core.MalformedRecordException;
import dev.collect.stream.RecordSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
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
 *
 * <p>{@link #registryCollector} and {@link #registrySerializer} speak the registry wire format of
 * Confluent's and Apicurio's Protobuf serdes: magic byte {@code 0}, the 4-byte big-endian schema
 * id, the message indexes (zig-zag varints: their count, then the path to the message from the
 * top-level messages of its {@code .proto} file; the path {@code [0]} is written as a single {@code
 * 0}), then the message's bytes.
 */
public final class Protobuf {
  private Protobuf() {}

  /** Parses values as messages of {@code type}, a generated message class. */
  public static <T extends Message> Collector<byte[], T> collector(Class<T> type) {
    T prototype = prototype(type);
    Parser<T> parser = parser(prototype);
    String name = prototype.getDescriptorForType().getFullName();
    return (input, output) -> {
      byte[] bytes = bytes(input.value(), name);
      try {
        output.emit(parser.parseFrom(bytes));
      } catch (InvalidProtocolBufferException e) {
        throw malformed(name, e);
      }
    };
  }

  /**
   * Parses values in the registry wire format as messages of {@code type}. A value without the
   * magic byte, shorter than its header, or whose message indexes name another message of the
   * {@code .proto} file than {@code type} is dead-lettered as {@code malformed}, saying which; the
   * schema id is not looked up (the generated type is the reader's schema).
   */
  public static <T extends Message> Collector<byte[], T> registryCollector(Class<T> type) {
    T prototype = prototype(type);
    Parser<T> parser = parser(prototype);
    String name = prototype.getDescriptorForType().getFullName();
    int[] path = messageIndexes(prototype.getDescriptorForType());
    return (input, output) -> {
      byte[] bytes = bytes(input.value(), name);
      if (bytes.length < 6 || bytes[0] != 0) {
        throw new MalformedRecordException(
            "not the registry wire format for "
                + name
                + (bytes.length < 6
                    ? ": " + bytes.length + " bytes, shorter than its header"
                    : ": the first byte is " + bytes[0] + ", not the magic byte 0"));
      }
      try {
        CodedInputStream in = CodedInputStream.newInstance(bytes, 5, bytes.length - 5);
        int[] indexes = readIndexes(in, name);
        if (!Arrays.equals(indexes, path)) {
          throw new MalformedRecordException(
              "the message indexes "
                  + Arrays.toString(indexes)
                  + " name another message of the .proto file than "
                  + name
                  + " "
                  + Arrays.toString(path));
        }
        output.emit(parser.parseFrom(in));
      } catch (IOException e) { // protobuf's reading errors: never quote the bytes
        throw malformed(name, e);
      }
    };
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
    return value -> {
      if (value == null) {
        return null;
      }
      int[] path = messageIndexes(value.getDescriptorForType());
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.getSerializedSize() + 16);
      bytes.write(0);
      bytes.write(schemaId >>> 24);
      bytes.write(schemaId >>> 16);
      bytes.write(schemaId >>> 8);
      bytes.write(schemaId);
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      if (path.length == 1 && path[0] == 0) {
        out.writeSInt32NoTag(0);
      } else {
        out.writeSInt32NoTag(path.length);
        for (int index : path) {
          out.writeSInt32NoTag(index);
        }
      }
      value.writeTo(out);
      out.flush();
      return bytes.toByteArray();
    };
  }

  /** The path to {@code type} from the top-level messages of its file, outermost first. */
  static int[] messageIndexes(Descriptor type) {
    Deque<Integer> path = new ArrayDeque<>();
    for (Descriptor d = type; d != null; d = d.getContainingType()) {
      path.addFirst(d.getIndex());
    }
    return path.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int[] readIndexes(CodedInputStream in, String name) throws IOException {
    int count = in.readSInt32();
    if (count == 0) {
      return new int[] {0};
    }
    if (count < 0 || count > 64) {
      throw new MalformedRecordException(
          "not the registry wire format for " + name + ": " + count + " message indexes");
    }
    int[] indexes = new int[count];
    for (int i = 0; i < count; i++) {
      indexes[i] = in.readSInt32();
    }
    return indexes;
  }

  private static <T extends Message> T prototype(Class<T> type) {
    Objects.requireNonNull(type, "type");
    try {
      return type.cast(type.getMethod("getDefaultInstance").invoke(null));
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(
          type.getName() + " is not a generated protobuf message class", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends Message> Parser<T> parser(T prototype) {
    return (Parser<T>) prototype.getParserForType();
  }

  private static byte[] bytes(byte[] value, String name) {
    if (value == null) {
      throw new MalformedRecordException(
          "no Protobuf bytes for " + name + ": the record has a null value (a tombstone)");
    }
    return value;
  }

  private static MalformedRecordException malformed(String name, IOException e) {
    return new MalformedRecordException(
        "malformed Protobuf for " + name + ": " + e.getMessage(), e);
  }
}
