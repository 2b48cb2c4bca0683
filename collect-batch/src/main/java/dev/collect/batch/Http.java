package dev.collect.batch;

import dev.collect.batch.internal.http.PaginatedHttpSource;
import dev.collect.core.Source;
import java.util.Map;

/**
 * HTTP-API sources. {@link #source}: reads a paginated JSON REST API with the JDK {@code
 * HttpClient}: page numbers, offsets, cursor tokens or {@code Link: <...>; rel="next"} headers.
 * Each item of a page's array becomes a {@code Map<String, Object>}, in page order.
 *
 * <p>Requests are rate-limited on the client over a sliding window: a request starts only once a
 * second has passed since the end of the {@code requestsPerSecond}-th request before it, so a
 * server never counts more than {@code requestsPerSecond} requests in any one second, whatever the
 * network delay (bursts up to that many are allowed). 429, 5xx, I/O errors and timeouts are retried
 * with exponential backoff and jitter, honouring {@code Retry-After} (capped at the maximum
 * backoff); each retry counts in the run report's {@code retried} and in {@code
 * collect.records.retried{stage=source}}. When attempts run out the source fails with a retriable
 * exception, so the pipeline's retry policy decides. Any other 4xx fails the run at once with an
 * {@link HttpStatusException} naming the status and the URI (a wrong URL or credentials are not
 * fixed by retrying). A page whose body is not the expected JSON becomes one dead letter with the
 * page's URI and body, and the crawl goes on with the next page where the style allows it (page,
 * offset, Link header); with cursor tokens it ends there. A single item that is not a JSON object
 * is dead-lettered on its own. URIs in messages and dead letters carry no user info and show only
 * the pagination parameters' values; header values are never shown.
 *
 * <p>Positions are (page URI, item index); a commit saves the page to read next and how many of its
 * items to skip, so a restarted run resumes after the last settled item. A rerun of an append-only
 * list reads exactly the items added since: a page that may still grow (the last page of cursor and
 * Link styles, a page-number page that was not full) is read again from the item after the last one
 * read; an offset rerun asks for the offset after it. Bounded; used from the pipeline's reader
 * thread only.
 */
public final class Http {
  private Http() {}

  /** A source paging through the API {@code config} describes. */
  public static Source<Map<String, Object>> source(HttpSourceConfig config) {
    return new PaginatedHttpSource(config);
  }
}
