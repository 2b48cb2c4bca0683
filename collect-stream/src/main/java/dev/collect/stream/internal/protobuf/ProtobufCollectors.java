package dev.collect.stream.internal.protobuf;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.collect.core.Collector;
import dev.collect.core.MalformedRecordException;
import dev.collect.core.RejectedRecordException;
import dev.collect.stream.avro.Avro;
import dev.collect.stream.avro.SchemaRegistry;
import dev.collect.stream.avro.SchemaRegistry.SchemaType;
import dev.collect.stream.internal.avro.WriterSchemas;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/** The Protobuf collectors: plain binary and the registry wire format, with or without lookups. */
public final class ProtobufCollectors {
  private ProtobufCollectors() {}

  /** Protobuf binary of one message of {@code type}. */
  public static <T extends Message> Collector<byte[], T> binary(Class<T> type) {
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

  /** The registry wire format, trusting that the message indexes name {@code type}. */
  public static <T extends Message> Collector<byte[], T> registry(Class<T> type) {
    T prototype = prototype(type);
    Parser<T> parser = parser(prototype);
    String name = prototype.getDescriptorForType().getFullName();
    int[] path = MessageIndexes.of(prototype.getDescriptorForType());
    return (input, output) -> {
      byte[] bytes = header(input.value(), name);
      try {
        CodedInputStream in = afterHeader(bytes);
        int[] indexes = MessageIndexes.read(in, name);
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

  /**
   * The registry wire format, with each schema id resolved through {@code registry} to the {@code
   * .proto} file it names and the message indexes to a message of that file, which must be {@code
   * type} (by full name).
   */
  public static <T extends Message> Collector<byte[], T> registry(
      SchemaRegistry registry, Class<T> type) {
    T prototype = prototype(type);
    Parser<T> parser = parser(prototype);
    String name = prototype.getDescriptorForType().getFullName();
    WriterSchemas<ProtoNames> writers =
        new WriterSchemas<>(registry, SchemaType.PROTOBUF, ProtoNames::parse);
    return (input, output) -> {
      byte[] bytes = header(input.value(), name);
      int id = WriterSchemas.schemaId(bytes);
      ProtoNames writer = writers.get(id);
      try {
        CodedInputStream in = afterHeader(bytes);
        int[] indexes = MessageIndexes.read(in, name);
        String written = writer.messageAt(indexes);
        if (written == null) {
          throw new MalformedRecordException(
              "the message indexes "
                  + Arrays.toString(indexes)
                  + " name no message of schema id "
                  + id);
        }
        if (!written.equals(name)) {
          throw new RejectedRecordException(
              Avro.REASON_INCOMPATIBLE_SCHEMA,
              "schema id "
                  + id
                  + " at message indexes "
                  + Arrays.toString(indexes)
                  + " is "
                  + written
                  + ", not "
                  + name);
        }
        output.emit(parser.parseFrom(in));
      } catch (IOException e) {
        throw malformed(name, e);
      }
    };
  }

  static <T extends Message> T prototype(Class<T> type) {
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

  /** The value, checked to start with the magic byte, the schema id and one message index. */
  private static byte[] header(byte[] value, String name) {
    byte[] bytes = bytes(value, name);
    if (bytes.length < WriterSchemas.HEADER + 1 || bytes[0] != WriterSchemas.MAGIC) {
      throw new MalformedRecordException(
          "not the registry wire format for "
              + name
              + (bytes.length < WriterSchemas.HEADER + 1
                  ? ": " + bytes.length + " bytes, shorter than its header"
                  : ": the first byte is " + bytes[0] + ", not the magic byte 0"));
    }
    return bytes;
  }

  private static CodedInputStream afterHeader(byte[] bytes) {
    return CodedInputStream.newInstance(
        bytes, WriterSchemas.HEADER, bytes.length - WriterSchemas.HEADER);
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
