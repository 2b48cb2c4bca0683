package dev.collect.stream.internal.protobuf;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import dev.collect.stream.RecordSerializer;
import dev.collect.stream.avro.SchemaRegistry;
import dev.collect.stream.avro.SchemaRegistry.SchemaType;
import dev.collect.stream.avro.SchemaRegistry.TypedSchema;
import dev.collect.stream.internal.avro.WriterSchemas;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Objects;

/** Protobuf serialisers for the registry wire format. */
public final class ProtobufSerializers {
  private ProtobufSerializers() {}

  /** Any message under {@code schemaId}, with the message indexes of the message's own type. */
  public static RecordSerializer<Message> registry(int schemaId) {
    byte[] header = WriterSchemas.header(schemaId);
    return value ->
        value == null
            ? null
            : frame(header, MessageIndexes.of(value.getDescriptorForType()), value);
  }

  /** Messages of {@code type}, whose {@code .proto} source is registered under {@code subject}. */
  public static <T extends Message> RecordSerializer<T> registry(
      SchemaRegistry registry, String subject, Class<T> type) throws IOException {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(subject, "subject");
    T prototype = ProtobufCollectors.prototype(type);
    ClassLoader loader =
        type.getClassLoader() != null ? type.getClassLoader() : ClassLoader.getSystemClassLoader();
    String source = ProtoSource.of(prototype.getDescriptorForType(), loader);
    int id = registry.register(subject, new TypedSchema(SchemaType.PROTOBUF, source));
    byte[] header = WriterSchemas.header(id);
    int[] path = MessageIndexes.of(prototype.getDescriptorForType());
    return value -> value == null ? null : frame(header, path, value);
  }

  private static byte[] frame(byte[] header, int[] path, Message value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.getSerializedSize() + 16);
    bytes.write(header);
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    MessageIndexes.write(out, path);
    value.writeTo(out);
    out.flush();
    return bytes.toByteArray();
  }
}
