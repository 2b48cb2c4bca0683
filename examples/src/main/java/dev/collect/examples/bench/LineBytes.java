package dev.collect.examples.bench;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Reads {@code \n}-separated lines as byte arrays (without the newline), 64 KiB at a time. */
final class LineBytes implements AutoCloseable {
  private final InputStream in;
  private final byte[] buffer = new byte[1 << 16];
  private int pos;
  private int limit;
  private byte[] carry = new byte[0];

  LineBytes(InputStream in) {
    this.in = in;
  }

  /** The next line, or null at the end of the input. */
  byte[] next() throws IOException {
    while (true) {
      for (int i = pos; i < limit; i++) {
        if (buffer[i] == '\n') {
          byte[] line = join(i);
          pos = i + 1;
          return line;
        }
      }
      byte[] rest = join(limit);
      carry = rest;
      pos = 0;
      limit = in.read(buffer);
      if (limit <= 0) {
        limit = 0;
        carry = new byte[0];
        return rest.length > 0 ? rest : null;
      }
    }
  }

  private byte[] join(int end) {
    byte[] line = Arrays.copyOf(carry, carry.length + end - pos);
    System.arraycopy(buffer, pos, line, carry.length, end - pos);
    carry = new byte[0];
    return line;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
