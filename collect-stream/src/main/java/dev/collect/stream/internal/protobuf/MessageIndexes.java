package dev.collect.stream.internal.protobuf;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import dev.collect.core.MalformedRecordException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The message indexes of the Protobuf registry wire format: the path to a message from the
 * top-level messages of its {@code .proto} file, as zig-zag varints (their count, then the path;
 * the path {@code [0]} as a single {@code 0}).
 */
final class MessageIndexes {
  private static final int MAX_DEPTH = 64;

  private MessageIndexes() {}

  /**
   * The path to {@code type}, outermost first. Counted over the messages the {@code .proto} source
   * declares, as Confluent's serdes count them: the entry types protoc makes for {@code map} fields
   * do not count.
   */
  static int[] of(Descriptor type) {
    Deque<Integer> path = new ArrayDeque<>();
    for (Descriptor d = type; d != null; d = d.getContainingType()) {
      int index = d.getIndex();
      if (d.getContainingType() != null) {
        for (Descriptor sibling : d.getContainingType().getNestedTypes()) {
          if (sibling == d) {
            break;
          }
          if (sibling.getOptions().getMapEntry()) {
            index--;
          }
        }
      }
      path.addFirst(index);
    }
    return path.stream().mapToInt(Integer::intValue).toArray();
  }

  static void write(CodedOutputStream out, int[] path) throws IOException {
    if (path.length == 1 && path[0] == 0) {
      out.writeSInt32NoTag(0);
      return;
    }
    out.writeSInt32NoTag(path.length);
    for (int index : path) {
      out.writeSInt32NoTag(index);
    }
  }

  static int[] read(CodedInputStream in, String name) throws IOException {
    int count = in.readSInt32();
    if (count == 0) {
      return new int[] {0};
    }
    if (count < 0 || count > MAX_DEPTH) {
      throw new MalformedRecordException(
          "not the registry wire format for " + name + ": " + count + " message indexes");
    }
    int[] indexes = new int[count];
    for (int i = 0; i < count; i++) {
      indexes[i] = in.readSInt32();
    }
    return indexes;
  }
}
