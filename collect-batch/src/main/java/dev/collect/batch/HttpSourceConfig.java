package dev.collect.batch;

import dev.collect.core.CheckpointStore;
import dev.collect.core.spi.Checks;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a connector built by {@link Http#source(HttpSourceConfig)}. Reads a paginated JSON
 * REST API with the JDK {@code HttpClient}: page numbers, offsets, cursor tokens or {@code Link:
 * <...>; rel="next"} headers. Each item of a page's array becomes a {@code Map<String, Object>}, in
 * page order.
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
 *
 * @param firstPage the first page's URI (pagination parameters are added to it)
 * @param pagination the style
 * @param itemsPointer JSON pointer to the items array in a page ({@code ""}: the body is the array)
 * @param cursorPointer JSON pointer to the next cursor token (CURSOR style)
 * @param pageParam the page-number, offset or cursor query parameter
 * @param sizeParam the page-size query parameter (PAGE and OFFSET styles), or null
 * @param pageSize the page size asked for
 * @param firstPageNumber the number of the first page (PAGE style)
 * @param requestsPerSecond the client-side rate limit
 * @param maxAttempts attempts per request
 * @param initialBackoff the first retry delay
 * @param maxBackoff the longest retry delay (also caps Retry-After)
 * @param requestTimeout the timeout of one request
 * @param headers request headers (e.g. authorization); never logged
 * @param checkpoints the store, or null for the pipeline's
 * @param checkpointKey the key of the progress
 * @param name the source's name
 */
public record HttpSourceConfig(
    URI firstPage,
    Pagination pagination,
    String itemsPointer,
    String cursorPointer,
    String pageParam,
    @Nullable String sizeParam,
    int pageSize,
    int firstPageNumber,
    int requestsPerSecond,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration requestTimeout,
    Map<String, String> headers,
    @Nullable CheckpointStore checkpoints,
    String checkpointKey,
    String name) {

  /** A builder of a source whose first page is {@code firstPage}. */
  public static Builder builder(URI firstPage) {
    return new Builder(firstPage);
  }

  public HttpSourceConfig {
    Objects.requireNonNull(firstPage, "firstPage");
    Objects.requireNonNull(pagination, "pagination");
    Objects.requireNonNull(itemsPointer, "itemsPointer");
    Objects.requireNonNull(cursorPointer, "cursorPointer");
    Objects.requireNonNull(pageParam, "pageParam");
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(checkpointKey, "checkpointKey");
    Objects.requireNonNull(name, "name");
    Checks.positive("pageSize", pageSize);
    Checks.positive("requestsPerSecond", requestsPerSecond);
    Checks.positive("maxAttempts", maxAttempts);
    Checks.positive("initialBackoff", initialBackoff);
    Checks.positive("maxBackoff", maxBackoff);
    Checks.positive("requestTimeout", requestTimeout);
    headers = Map.copyOf(headers);
    Checks.notBlank("checkpointKey", checkpointKey);
    Checks.notBlank("name", name);
  }

  /** How an API pages. */
  public enum Pagination {
    /** {@code ?page=1&size=100}, then page 2...; ends at an empty page. */
    PAGE,
    /** {@code ?offset=0&limit=100}, then offset 100...; ends at an empty page. */
    OFFSET,
    /**
     * A token from the body (e.g. {@code /next_cursor}) sent as {@code ?cursor=...}; ends without
     * one.
     */
    CURSOR,
    /** The {@code Link} header's {@code rel="next"} URI; ends without one. */
    LINK_HEADER
  }

  /**
   * Builds an HTTP source; not thread-safe. Its name defaults to {@code http:<host><path>}, and the
   * key of its progress in the pipeline's store to its name.
   */
  public static final class Builder extends ProgressBuilder<Builder> {
    private final URI firstPage;
    private Pagination pagination = Pagination.PAGE;
    private String itemsPointer = "";
    private String cursorPointer = "/next_cursor";
    private String pageParam;
    private @Nullable String sizeParam;
    private int pageSize = 100;
    private int firstPageNumber = 1;
    private int requestsPerSecond = 10;
    private int maxAttempts = 5;
    private Duration initialBackoff = Duration.ofMillis(200);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private final Map<String, String> headers = new LinkedHashMap<>();

    private Builder(URI firstPage) {
      this.firstPage = Objects.requireNonNull(firstPage, "firstPage");
    }

    /** The pagination style; default {@link Pagination#PAGE}. */
    public Builder pagination(Pagination value) {
      this.pagination = Objects.requireNonNull(value, "pagination");
      return this;
    }

    /** Where the items array is ({@code "/data"}); default {@code ""}, the body itself. */
    public Builder items(String jsonPointer) {
      this.itemsPointer = Objects.requireNonNull(jsonPointer, "jsonPointer");
      return this;
    }

    /** Where the next cursor token is; default {@code /next_cursor}. */
    public Builder cursor(String jsonPointer) {
      this.cursorPointer = Objects.requireNonNull(jsonPointer, "jsonPointer");
      return this;
    }

    /**
     * The query parameters; defaults {@code page}/{@code size}, {@code offset}/{@code limit},
     * {@code cursor}/{@code limit} per style.
     */
    public Builder params(String page, String size) {
      this.pageParam = Objects.requireNonNull(page, "page");
      this.sizeParam = size;
      return this;
    }

    /** The page size asked for; default 100. */
    public Builder pageSize(int value) {
      this.pageSize = Checks.positive("pageSize", value);
      return this;
    }

    /** The first page number (PAGE style); default 1. */
    public Builder firstPageNumber(int value) {
      this.firstPageNumber = value;
      return this;
    }

    /** At most this many requests in any one second (a sliding window); default 10. */
    public Builder requestsPerSecond(int value) {
      this.requestsPerSecond = Checks.positive("requestsPerSecond", value);
      return this;
    }

    /** Retries per request; defaults 5 attempts, 200 ms doubling up to 30 s. */
    public Builder retries(int attempts, Duration initial, Duration max) {
      this.maxAttempts = Checks.positive("attempts", attempts);
      this.initialBackoff = Checks.positive("initial backoff", initial);
      this.maxBackoff = Checks.positive("max backoff", max);
      return this;
    }

    /** The timeout of one request; default 30 s. */
    public Builder requestTimeout(Duration value) {
      this.requestTimeout = Checks.positive("requestTimeout", value);
      return this;
    }

    /** Adds a request header (its value is never logged). */
    public Builder header(String name, String value) {
      headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    /** The settings. */
    public HttpSourceConfig build() {
      String n = nameOr("http:" + firstPage.getHost() + firstPage.getPath());
      String page =
          pageParam != null
              ? pageParam
              : switch (pagination) {
                case PAGE -> "page";
                case OFFSET -> "offset";
                case CURSOR -> "cursor";
                case LINK_HEADER -> "page";
              };
      String size =
          pageParam != null ? sizeParam : pagination == Pagination.PAGE ? "size" : "limit";
      return new HttpSourceConfig(
          firstPage,
          pagination,
          itemsPointer,
          cursorPointer,
          page,
          size,
          pageSize,
          firstPageNumber,
          requestsPerSecond,
          maxAttempts,
          initialBackoff,
          maxBackoff,
          requestTimeout,
          Map.copyOf(headers),
          checkpoints,
          keyOr(n),
          n);
    }
  }
}
