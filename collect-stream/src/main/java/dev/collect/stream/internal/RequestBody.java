package dev.collect.stream.internal;

import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a webhook request's body within a limit, and discards what a refused request still sends.
 *
 * <p>Why discard: closing a TCP connection with unread data in the receive buffer makes the kernel
 * send a reset, and a reset makes the client drop the answer it has not read yet, so a client still
 * uploading an oversized body would see "connection reset" instead of the 413. Reading and
 * discarding the rest (up to {@link #DISCARD_LIMIT}, and no longer than the connection's idle
 * timeout between reads) lets the answer arrive. A client that sent {@code Expect: 100-continue}
 * has sent nothing yet, as long as nothing was read: Jetty sends {@code 100 Continue} only on the
 * first read, so such a client gets the refusal before it sends its body, and nothing is discarded.
 * Not thread-safe: one per request.
 */
final class RequestBody {
  /** The most bytes of a refused body that are read and discarded before answering. */
  static final long DISCARD_LIMIT = 64L * 1024 * 1024;

  private final Request request;
  private boolean read;

  RequestBody(Request request) {
    this.request = request;
  }

  /** The declared length ({@code Content-Length}), or -1 when unknown (chunked). */
  long declaredLength() {
    return request.getLength();
  }

  /** The whole body, or null when it has more than {@code maxBytes} (then it was discarded). */
  byte[] readAtMost(int maxBytes) throws IOException {
    read = true;
    InputStream in = Content.Source.asInputStream(request);
    byte[] body = in.readNBytes(maxBytes + 1);
    if (body.length <= maxBytes) {
      return body;
    }
    discard(in, DISCARD_LIMIT - body.length);
    return null;
  }

  /**
   * Discards the unread body before a refusal, unless the client waits for {@code 100 Continue} and
   * nothing was read, so it has not sent the body. True when the whole body was consumed (the
   * connection can be kept), false when the client may still be sending it.
   */
  boolean discardBeforeRefusal() throws IOException {
    if (!read && expectsContinue()) {
      return false;
    }
    read = true;
    long declared = request.getLength();
    if (declared > DISCARD_LIMIT) {
      return false;
    }
    return discard(Content.Source.asInputStream(request), DISCARD_LIMIT);
  }

  private boolean expectsContinue() {
    return request.getHeaders().contains(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString());
  }

  private static boolean discard(InputStream in, long limit) throws IOException {
    byte[] scratch = new byte[16 * 1024];
    long left = limit;
    while (left > 0) {
      int n = in.read(scratch, 0, (int) Math.min(scratch.length, left));
      if (n < 0) {
        return true;
      }
      left -= n;
    }
    return false;
  }
}
