package dev.collect.core.internal.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads {@code \n}-terminated lines as bytes from a file, in large chunks, tracking the line number
 * and the offset after each line. A last line without a terminator is returned too. Lines longer
 * than the limit are reported by {@link #lastLineTooLong()} and cut to the limit; the reader skips
 * their rest. Hand-written because the JDK's readers decode to Strings (and replace invalid UTF-8
 * silently), while dead letters need the exact bytes.
 */
public final class LineReader implements Closeable {
  private final FileChannel channel;
  private final ByteBuffer buffer;
  private final int maxLineBytes;
  private long offset;
  private long lineNumber;
  private boolean eof;
  private boolean tooLong;

  public LineReader(Path file, long startOffset, long startLine, int maxLineBytes)
      throws IOException {
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    this.channel.position(startOffset);
    this.buffer = ByteBuffer.allocate(1 << 20);
    this.buffer.flip();
    this.offset = startOffset;
    this.lineNumber = startLine;
    this.maxLineBytes = maxLineBytes;
  }

  /** The next line without its terminator, or null at the end of the file. */
  public byte[] next() throws IOException {
    tooLong = false;
    byte[] partial = null;
    int partialLength = 0;
    long consumed = 0;
    while (true) {
      if (!buffer.hasRemaining()) {
        if (eof || !fill()) {
          eof = true;
          if (partialLength == 0 && partial == null) {
            return null;
          }
          offset += consumed;
          lineNumber++;
          return Arrays.copyOf(partial, partialLength);
        }
      }
      byte[] array = buffer.array();
      int start = buffer.position();
      int limit = buffer.limit();
      int newline = -1;
      for (int i = start; i < limit; i++) {
        if (array[i] == '\n') {
          newline = i;
          break;
        }
      }
      int end = newline < 0 ? limit : newline;
      int take = Math.min(end - start, maxLineBytes - partialLength);
      if (take < end - start) {
        tooLong = true;
      }
      if (partial == null && newline >= 0) {
        buffer.position(newline + 1);
        offset += consumed + (newline + 1 - start);
        lineNumber++;
        return Arrays.copyOfRange(array, start, start + take);
      }
      if (partial == null) {
        partial = new byte[Math.min(maxLineBytes, Math.max(256, 2 * (end - start)))];
      }
      if (partialLength + take > partial.length) {
        partial =
            Arrays.copyOf(
                partial,
                Math.min(maxLineBytes, Math.max(partial.length * 2, partialLength + take)));
      }
      System.arraycopy(array, start, partial, partialLength, take);
      partialLength += take;
      if (newline >= 0) {
        buffer.position(newline + 1);
        offset += consumed + (newline + 1 - start);
        lineNumber++;
        return Arrays.copyOf(partial, partialLength);
      }
      consumed += limit - start;
      buffer.position(limit);
    }
  }

  private boolean fill() throws IOException {
    buffer.clear();
    int n = channel.read(buffer);
    buffer.flip();
    return n > 0;
  }

  /** Whether the line last returned was longer than the limit (and was cut). */
  public boolean lastLineTooLong() {
    return tooLong;
  }

  /** The 1-based number of the line last returned. */
  public long lineNumber() {
    return lineNumber;
  }

  /** The byte offset just after the line last returned. */
  public long offset() {
    return offset;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
