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
 * Settings of an {@link Http#source HTTP source}. Immutable; build with {@link #builder(URI)}. Its
 * name defaults to {@code http:<host><path>}, and the key of its progress in the pipeline's store
 * to its name. {@link #toString()} never shows header values.
 *
 * @param firstPage the first page's URI (pagination parameters are added to it)
 * @param pagination the style; default {@link Pagination#PAGE}
 * @param itemsPointer JSON pointer to the items array in a page ({@code ""}, the default: the body
 *     is the array)
 * @param cursorPointer JSON pointer to the next cursor token (CURSOR style); default {@value
 *     #DEFAULT_CURSOR_POINTER}
 * @param pageParam the page-number, offset or cursor query parameter
 * @param sizeParam the page-size query parameter (PAGE and OFFSET styles), or null
 * @param pageSize the page size asked for; default {@value #DEFAULT_PAGE_SIZE}
 * @param firstPageNumber the number of the first page (PAGE style); default 1
 * @param requestsPerSecond the client-side rate limit; default {@value
 *     #DEFAULT_REQUESTS_PER_SECOND}
 * @param maxAttempts attempts per request; default {@value #DEFAULT_MAX_ATTEMPTS}
 * @param initialBackoff the first retry delay; default 200 ms
 * @param maxBackoff the longest retry delay (also caps Retry-After); default 30 s
 * @param requestTimeout the timeout of one request; default 30 s
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

  /** Default page size asked for. */
  public static final int DEFAULT_PAGE_SIZE = 100;

  /** Default JSON pointer of the next cursor token. */
  public static final String DEFAULT_CURSOR_POINTER = "/next_cursor";

  /** Default client-side rate limit. */
  public static final int DEFAULT_REQUESTS_PER_SECOND = 10;

  /** Default attempts per request. */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;

  /** Default first retry delay. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);

  /** Default longest retry delay. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

  /** Default timeout of one request. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

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

  /** Checks the settings. */
  public HttpSourceConfig {
    Objects.requireNonNull(firstPage, "firstPage");
    Objects.requireNonNull(pagination, "pagination");
    Objects.requireNonNull(itemsPointer, "itemsPointer");
    Objects.requireNonNull(cursorPointer, "cursorPointer");
    Checks.notBlank("pageParam", pageParam);
    Checks.positive("pageSize", pageSize);
    Checks.positive("requestsPerSecond", requestsPerSecond);
    Checks.positive("maxAttempts", maxAttempts);
    Checks.positive("initialBackoff", initialBackoff);
    Checks.positive("maxBackoff", maxBackoff);
    Checks.positive("requestTimeout", requestTimeout);
    headers = Map.copyOf(headers == null ? Map.of() : headers);
    Checks.notBlank("checkpointKey", checkpointKey);
    Checks.notBlank("name", name);
  }

  /** A builder whose first page is {@code firstPage}, with the defaults. */
  public static Builder builder(URI firstPage) {
    return new Builder(firstPage);
  }

  /** Shows the header names only: their values (credentials) are never shown. */
  @Override
  public String toString() {
    return "HttpSourceConfig[firstPage="
        + firstPage
        + ", pagination="
        + pagination
        + ", itemsPointer="
        + itemsPointer
        + ", cursorPointer="
        + cursorPointer
        + ", pageParam="
        + pageParam
        + ", sizeParam="
        + sizeParam
        + ", pageSize="
        + pageSize
        + ", firstPageNumber="
        + firstPageNumber
        + ", requestsPerSecond="
        + requestsPerSecond
        + ", maxAttempts="
        + maxAttempts
        + ", initialBackoff="
        + initialBackoff
        + ", maxBackoff="
        + maxBackoff
        + ", requestTimeout="
        + requestTimeout
        + ", headers="
        + headers.keySet()
        + ", checkpointKey="
        + checkpointKey
        + ", name="
        + name
        + "]";
  }

  /**
   * Builds an {@link HttpSourceConfig}; mutable, not thread-safe. Its name defaults to {@code
   * http:<host><path>}, and the key of its progress in the pipeline's store to its name.
   */
  public static final class Builder extends ProgressBuilder<Builder> {
    private final URI firstPage;
    private Pagination pagination = Pagination.PAGE;
    private String itemsPointer = "";
    private String cursorPointer = DEFAULT_CURSOR_POINTER;
    private @Nullable String pageParam;
    private @Nullable String sizeParam;
    private int pageSize = DEFAULT_PAGE_SIZE;
    private int firstPageNumber = 1;
    private int requestsPerSecond = DEFAULT_REQUESTS_PER_SECOND;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
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

    /** Where the next cursor token is; default {@value #DEFAULT_CURSOR_POINTER}. */
    public Builder cursor(String jsonPointer) {
      this.cursorPointer = Objects.requireNonNull(jsonPointer, "jsonPointer");
      return this;
    }

    /**
     * The query parameters ({@code size} may be null for none); defaults {@code page}/{@code size},
     * {@code offset}/{@code limit}, {@code cursor}/{@code limit} per style.
     */
    public Builder params(String page, @Nullable String size) {
      this.pageParam = Objects.requireNonNull(page, "page");
      this.sizeParam = size;
      return this;
    }

    /** The page size asked for; default {@value #DEFAULT_PAGE_SIZE}. */
    public Builder pageSize(int value) {
      this.pageSize = Checks.positive("pageSize", value);
      return this;
    }

    /** The first page number (PAGE style); default 1. */
    public Builder firstPageNumber(int value) {
      this.firstPageNumber = value;
      return this;
    }

    /**
     * At most this many requests in any one second (a sliding window); default {@value
     * #DEFAULT_REQUESTS_PER_SECOND}.
     */
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

    /** Adds a request header (its value is never logged); default none. */
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
          headers,
          checkpoints,
          keyOr(n),
          n);
    }
  }
}
