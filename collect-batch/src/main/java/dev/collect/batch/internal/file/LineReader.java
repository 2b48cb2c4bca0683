package dev.collect.batch.internal.file;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a stream into {@code \n}-terminated lines (a trailing {@code \r} is dropped). A line over
 * the limit is returned cut to the limit with {@link #lastTooLong()} set, and the rest skipped.
 */
final class LineReader implements AutoCloseable {
  private final InputStream in;
  private final int maxLineBytes;
  private final byte[] buffer = new byte[1 << 16];
  private int pos;
  private int limit;
  private boolean eof;
  private boolean tooLong;
  private byte[] line = new byte[256];

  LineReader(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /** The next line, or null at the end of the stream. */
  byte[] next() throws IOException {
    int length = 0;
    tooLong = false;
    boolean any = false;
    while (true) {
      if (pos == limit) {
        if (eof || !fill()) {
          eof = true;
          if (!any) {
            return null;
          }
          break;
        }
      }
      any = true;
      int start = pos;
      while (pos < limit && buffer[pos] != '\n') {
        pos++;
      }
      int chunk = pos - start;
      if (!tooLong) {
        int room = maxLineBytes - length;
        int copy = Math.min(chunk, room);
        if (length + copy > line.length) {
          line = Arrays.copyOf(line, Math.max(line.length * 2, length + copy));
        }
        System.arraycopy(buffer, start, line, length, copy);
        length += copy;
        tooLong = chunk > room;
      }
      if (pos < limit) {
        pos++; // the '\n'
        break;
      }
    }
    if (!tooLong && length > 0 && line[length - 1] == '\r') {
      length--;
    }
    return Arrays.copyOf(line, length);
  }

  private boolean fill() throws IOException {
    int n = in.read(buffer, 0, buffer.length);
    while (n == 0) {
      n = in.read(buffer, 0, buffer.length);
    }
    if (n < 0) {
      return false;
    }
    pos = 0;
    limit = n;
    return true;
  }

  boolean lastTooLong() {
    return tooLong;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
