package dev.collect.stream.internal.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Message indexes, the names a {@code .proto} source declares, and finding that source. */
class ProtoSourceTest {
  /** {@code package p; message Outer { map<string, string> labels = 1; message Inner {} }} */
  private static final FileDescriptorProto OUTER =
      FileDescriptorProto.newBuilder()
          .setName("p/outer.proto")
          .setPackage("p")
          .setSyntax("proto3")
          .addMessageType(
              DescriptorProto.newBuilder()
                  .setName("Outer")
                  .addField(
                      FieldDescriptorProto.newBuilder()
                          .setName("labels")
                          .setNumber(1)
                          .setLabel(FieldDescriptorProto.Label.LABEL_REPEATED)
                          .setType(FieldDescriptorProto.Type.TYPE_MESSAGE)
                          .setTypeName(".p.Outer.LabelsEntry"))
                  .addNestedType(
                      DescriptorProto.newBuilder()
                          .setName("LabelsEntry")
                          .setOptions(MessageOptions.newBuilder().setMapEntry(true))
                          .addField(scalar("key", 1))
                          .addField(scalar("value", 2)))
                  .addNestedType(DescriptorProto.newBuilder().setName("Inner")))
          .build();

  private static final String OUTER_SOURCE =
      """
      // message Decoy { }
      syntax = "proto3";
      /* message Decoy2 { } */
      package p;
      option java_package = "p.message { x";
      message Outer {
        map<string, string> labels = 1;
        enum Kind { message = 0; }
        oneof choice { string message = 2; }
        message Inner {}
      }
      service S { rpc Get(Outer) returns (Outer) { option (o) = { message: "m" }; } }
      """;

  private static FieldDescriptorProto.Builder scalar(String name, int number) {
    return FieldDescriptorProto.newBuilder()
        .setName(name)
        .setNumber(number)
        .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL)
        .setType(FieldDescriptorProto.Type.TYPE_STRING);
  }

  private static Descriptor inner() throws Exception {
    return FileDescriptor.buildFrom(OUTER, new FileDescriptor[0])
        .findMessageTypeByName("Outer")
        .findNestedTypeByName("Inner");
  }

  private static ClassLoader serving(String text) {
    return new ClassLoader(null) {
      @Override
      public InputStream getResourceAsStream(String name) {
        return name.equals("p/outer.proto")
            ? new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))
            : null;
      }
    };
  }

  @Test
  void mapEntryTypesDoNotCountInTheMessageIndexes() throws Exception {
    Descriptor inner = inner();

    int[] path = MessageIndexes.of(inner);

    assertThat(inner.getIndex()).isEqualTo(1);
    assertThat(path).containsExactly(0, 0);
  }

  @Test
  void onlyMessageDeclarationsOutsideCommentsStringsAndOtherBlocksAreNamed() {
    ProtoNames names = ProtoNames.parse(OUTER_SOURCE);

    assertThat(names.messageAt(new int[] {0})).isEqualTo("p.Outer");
    assertThat(names.messageAt(new int[] {0, 0})).isEqualTo("p.Outer.Inner");
    assertThat(names.messageAt(new int[] {0, 1})).isNull();
    assertThat(names.messageAt(new int[] {1})).isNull();
    assertThat(ProtoNames.parse("message A { message B {} } message C {}").messageAt(new int[] {1}))
        .isEqualTo("C");
  }

  @Test
  void theSourceIsReadFromTheClassPathAndCheckedAgainstTheDescriptor() throws Exception {
    Descriptor inner = inner();

    String source = ProtoSource.of(inner, serving(OUTER_SOURCE));

    assertThat(source).isEqualTo(OUTER_SOURCE);
    assertThatThrownBy(() -> ProtoSource.of(inner, serving("package p; message Outer {}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "p/outer.proto on the class path does not declare p.Outer.Inner at message indexes"
                + " [0, 0] as the compiled class does; is it a stale copy?");
    assertThatThrownBy(() -> ProtoSource.of(inner, new ClassLoader(null) {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "no p/outer.proto on the class path for p.Outer.Inner: the registry serialiser"
                + " registers the .proto source, so ship it beside the generated classes under its"
                + " import path");
  }

  @Test
  void filesImportingMoreThanWellKnownTypesAreRefused() throws Exception {
    FileDescriptor outer = FileDescriptor.buildFrom(OUTER, new FileDescriptor[0]);
    FileDescriptor user =
        FileDescriptor.buildFrom(
            FileDescriptorProto.newBuilder()
                .setName("p/user.proto")
                .setPackage("p")
                .addDependency("p/outer.proto")
                .addMessageType(DescriptorProto.newBuilder().setName("User"))
                .build(),
            new FileDescriptor[] {outer});

    assertThatThrownBy(() -> ProtoSource.of(user.findMessageTypeByName("User"), serving("")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "p/user.proto imports p/outer.proto: registering imported files as schema references"
                + " is not supported; only Google's well-known types may be imported");
  }
}
