package dev.collect.stream.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests a high-level client would normalise (header spelling,
 * whitespace) or hide (an interim {@code 100 Continue}). One request per connection.
 */
public final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;

  /** The status line, the headers (names in lower case) and the body of one response. */
  public record Response(String statusLine, Map<String, String> headers, String body) {
    public int status() {
      return Integer.parseInt(statusLine.split(" ")[1]);
    }
  }

  public RawHttp(URI uri) throws IOException {
    this.socket = new Socket(uri.getHost(), uri.getPort());
    socket.setSoTimeout(20_000);
    this.in = socket.getInputStream();
  }

  /** Sends a request head exactly as given (lines without CRLF), then a blank line. */
  public void sendHead(String... lines) throws IOException {
    StringBuilder head = new StringBuilder();
    for (String line : lines) {
      head.append(line).append("\r\n");
    }
    send(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  public void send(byte[] bytes) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(bytes);
    out.flush();
  }

  /** Reads the next response (interim ones too); its body by {@code Content-Length}. */
  public Response read() throws IOException {
    String statusLine = line();
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = line(); !line.isEmpty(); line = line()) {
      int colon = line.indexOf(':');
      headers.put(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
    return new Response(statusLine, headers, body);
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new IOException("connection closed after: " + line);
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
