package dev.collect.stream.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Reads a webhook request's body within a limit, and discards what a refused request still sends.
 *
 * <p>Why discard: closing a TCP connection with unread data in the receive buffer makes the kernel
 * send a reset, and a reset makes the client drop the answer it has not read yet, so a client still
 * uploading an oversized body would see "connection reset" instead of the 413. Reading and
 * discarding the rest (up to {@link #DISCARD_LIMIT}, and no longer than the server's idle timeout
 * between reads) lets the answer arrive. A client that sent {@code Expect: 100-continue} has sent
 * nothing yet, as long as nothing was read, on servers that send {@code 100 Continue} only on the
 * first read ({@link WebhookExchange#continuesOnFirstRead()}): such a client gets the refusal
 * before it sends its body, and nothing is discarded. Not thread-safe: one per request.
 */
final class RequestBody {
  /** The most bytes of a refused body that are read and discarded before answering. */
  static final long DISCARD_LIMIT = 64L * 1024 * 1024;

  private final WebhookExchange exchange;
  private boolean read;

  RequestBody(WebhookExchange exchange) {
    this.exchange = exchange;
  }

  /** The declared length ({@code Content-Length}), or -1 when unknown (chunked). */
  long declaredLength() {
    return exchange.declaredLength();
  }

  /** The whole body, or null when it has more than {@code maxBytes} (then it was discarded). */
  byte[] readAtMost(int maxBytes) throws IOException {
    read = true;
    InputStream in = exchange.body();
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
    if (!read && exchange.continuesOnFirstRead() && expectsContinue()) {
      return false;
    }
    read = true;
    if (exchange.declaredLength() > DISCARD_LIMIT) {
      return false;
    }
    return discard(exchange.body(), DISCARD_LIMIT);
  }

  private boolean expectsContinue() {
    String expect = exchange.header("Expect");
    return expect != null && expect.toLowerCase(Locale.ROOT).contains("100-continue");
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
