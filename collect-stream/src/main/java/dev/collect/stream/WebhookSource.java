package dev.collect.stream;

import com.sun.net.httpserver.HttpHandler;
import dev.collect.core.Source;
import java.net.URI;
import java.time.Duration;

/**
 * An HTTP endpoint as a source: {@code POST} a single JSON object, a JSON array of objects, or
 * NDJSON (one object per line) to {@link #endpoint()} on the built-in server ({@link
 * Webhook#source}), or to where you mounted {@link #httpHandler()} in your own server ({@link
 * Webhook#mounted}), or to a {@link WebhookServlet} made from it. Every way in answers through the
 * same code: the same signature check, replay guard, size limits and backpressure answers.
 *
 * <p>Answers: {@code 202} once every event of the request is in the pipeline's buffer (all or
 * nothing); {@code 429} with {@code Retry-After} when the buffer is full (nothing was taken: send
 * again); {@code 400} with a reason for a malformed body; {@code 401} for a missing, wrong, expired
 * or replayed signature (a replay is recognised by its MAC, however its headers are spelt); {@code
 * 413} for a body over the limit; {@code 405} for other methods; {@code 503} before the source is
 * opened and once it drains. The built-in server also answers {@code 404} for other paths, and
 * {@code GET} on the health path with {@code 200} while the source runs.
 *
 * <p>Trace context: a valid W3C {@code traceparent} request header (and its {@code tracestate}, up
 * to 512 characters) is copied into the headers of each of the request's envelopes under the keys
 * {@code traceparent} and {@code tracestate}; an invalid one is ignored.
 *
 * <p>Oversized bodies: a request with {@code Expect: 100-continue} and a {@code Content-Length}
 * over the limit gets the 413 before it sends its body (on the built-in server and in servlet
 * containers that send {@code 100 Continue} on the first read, such as Jetty; the JDK's server
 * sends it before the handler runs). Otherwise the rest of the body is read and discarded (up to 64
 * MiB) before the 413 is sent, so the client can read it; a longer body is answered with {@code
 * Connection: close} and the client may see a reset instead.
 *
 * <p>Delivery: a 202 means accepted into memory, not written: events accepted but not yet settled
 * are lost if the process dies. Senders that need more should keep their own retry until the data
 * shows up downstream. Events keep their order within a request; they carry no ordering key.
 *
 * <p>Stopping: the pipeline stops polling as soon as it is asked to stop, so call {@link
 * #drain(Duration)} first: new requests get 503 and the events already accepted are taken by the
 * pipeline. Events still buffered when the source closes are reported in a WARN log and by {@link
 * #buffered()}.
 *
 * <p>Thread-safety: the HTTP threads only touch a bounded, thread-safe buffer; the {@link Source}
 * methods are called from the pipeline's reader thread.
 */
public interface WebhookSource extends Source<byte[]> {

  /**
   * The built-in server's events endpoint, e.g. {@code http://127.0.0.1:8080/events} ({@code https}
   * with TLS); valid once opened.
   *
   * @throws IllegalStateException for a {@linkplain Webhook#mounted mounted} source, which has no
   *     server of its own
   */
  URI endpoint();

  /**
   * The built-in server's health endpoint; valid once opened.
   *
   * @throws IllegalStateException for a {@linkplain Webhook#mounted mounted} source
   */
  URI health();

  /**
   * The events endpoint as a handler for the JDK's {@code com.sun.net.httpserver.HttpServer} (or
   * {@code HttpsServer}): mount it with {@code server.createContext("/events",
   * source.httpHandler())}. Every request it is given is taken as a request to the events endpoint.
   * It answers 503 until the pipeline has opened the source and again once draining. Returns the
   * same handler each time; thread-safe.
   */
  HttpHandler httpHandler();

  /**
   * Stops accepting (503 from now on) and waits until the pipeline took every accepted event; false
   * if some were still buffered after {@code timeout}.
   */
  boolean drain(Duration timeout) throws InterruptedException;

  /** Events accepted but not yet taken by the pipeline. */
  int buffered();
}
