package dev.collect.stream.internal.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The {@code .proto} source of a generated message type, as the registry serialiser registers it:
 * read from the class path under the file's import path ({@code google/protobuf/timestamp.proto}),
 * where protoc's build plugins put it beside the generated classes and protobuf-java ships its own.
 * Reading the author's file rather than printing one from the descriptor keeps its comments and
 * options and needs no printer: protobuf-java has none for {@code .proto} syntax.
 */
final class ProtoSource {
  private static final String WELL_KNOWN = "google/protobuf/";

  private ProtoSource() {}

  /**
   * The source of the file declaring {@code type}.
   *
   * @throws IllegalArgumentException when it is not on the class path, imports files other than
   *     Google's well-known types (schema references are not supported), or does not declare {@code
   *     type} where the compiled descriptor has it (a stale copy)
   */
  static String of(Descriptor type, ClassLoader loader) throws IOException {
    FileDescriptor file = type.getFile();
    for (FileDescriptor imported : file.getDependencies()) {
      if (!imported.getName().startsWith(WELL_KNOWN)) {
        throw new IllegalArgumentException(
            file.getName()
                + " imports "
                + imported.getName()
                + ": registering imported files as schema references is not supported; only"
                + " Google's well-known types may be imported");
      }
    }
    String text;
    try (InputStream in = loader.getResourceAsStream(file.getName())) {
      if (in == null) {
        throw new IllegalArgumentException(
            "no "
                + file.getName()
                + " on the class path for "
                + type.getFullName()
                + ": the registry serialiser registers the .proto source, so ship it beside the"
                + " generated classes under its import path");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int[] path = MessageIndexes.of(type);
    if (!type.getFullName().equals(ProtoNames.parse(text).messageAt(path))) {
      throw new IllegalArgumentException(
          file.getName()
              + " on the class path does not declare "
              + type.getFullName()
              + " at message indexes "
              + Arrays.toString(path)
              + " as the compiled class does; is it a stale copy?");
    }
    return text;
  }
}
