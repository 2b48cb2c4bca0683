package dev.collect.batch.internal.http;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** URIs as they may appear in messages and dead letters. */
final class Uris {
  private Uris() {}

  /**
   * {@code uri} without user info and fragment, and with the value of every query parameter not in
   * {@code shown} replaced by {@code ***}: an API key in the query never reaches a message.
   */
  static String redacted(URI uri, Set<String> shown) {
    StringBuilder out = new StringBuilder();
    out.append(uri.getScheme()).append("://").append(uri.getHost());
    if (uri.getPort() != -1) {
      out.append(':').append(uri.getPort());
    }
    out.append(uri.getRawPath() == null ? "" : uri.getRawPath());
    String query = uri.getRawQuery();
    if (query != null) {
      char separator = '?';
      for (String pair : query.split("&")) {
        String[] kv = pair.split("=", 2);
        boolean show = shown.contains(URLDecoder.decode(kv[0], StandardCharsets.UTF_8));
        out.append(separator).append(kv[0]);
        if (kv.length > 1) {
          out.append('=').append(show ? kv[1] : "***");
        }
        separator = '&';
      }
    }
    return out.toString();
  }
}
