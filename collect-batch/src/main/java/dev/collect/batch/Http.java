package dev.collect.batch;

import dev.collect.batch.internal.http.PaginatedHttpSource;
import dev.collect.core.Source;
import java.util.Map;

/**
 * A paginated HTTP JSON API as a batch source: pages followed by page number, offset, cursor or
 * {@code Link} header, with retries, a request rate limit and resume after the last settled item.
 * What it guarantees is on {@link HttpSourceConfig}.
 */
public final class Http {
  private Http() {}

  /** A source reading {@code config}'s API; no request is made before the pipeline opens it. */
  public static Source<Map<String, Object>> source(HttpSourceConfig config) {
    return new PaginatedHttpSource(config);
  }
}
