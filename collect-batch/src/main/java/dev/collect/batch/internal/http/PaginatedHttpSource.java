package dev.collect.batch.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.batch.Http;
import dev.collect.batch.HttpSourceConfig;
import dev.collect.core.CheckpointStore;
import dev.collect.core.CollectException;
import dev.collect.core.Envelope;
import dev.collect.core.MalformedRecordException;
import dev.collect.core.PipelineContext;
import dev.collect.core.Position;
import dev.collect.core.Source;
import dev.collect.core.Stage;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Pages through a REST API; see {@link Http}. */
public final class PaginatedHttpSource implements Source<Map<String, Object>> {
  private java.time.Clock clock = java.time.Clock.systemUTC();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NEXT_LINK =
      Pattern.compile("<([^>]*)>\\s*;[^,]*rel=\"?next\"?", Pattern.CASE_INSENSITIVE);
  private static final int MAX_DEAD_LETTER_BODY = 64 * 1024;

  private final HttpSourceConfig config;
  private final Deque<Envelope<Map<String, Object>>> buffer = new ArrayDeque<>();
  private Requests requests;
  private CheckpointStore checkpoints;
  private URI next;
  private int skip;
  private boolean finished;

  public PaginatedHttpSource(HttpSourceConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public void open(PipelineContext context) throws IOException {
    clock = context.clock();
    requests = new Requests(config, () -> context.retried(Stage.SOURCE));
    checkpoints = config.checkpoints() != null ? config.checkpoints() : context.checkpoints();
    next = firstPage();
    var saved = checkpoints.load(config.checkpointKey());
    if (saved.isPresent()) {
      JsonNode state = JSON.readTree(saved.get());
      if (state.hasNonNull("page")) {
        next = URI.create(state.get("page").asText());
        skip = state.get("skip").asInt();
      } else if (state.hasNonNull("next")) { // saved by an earlier version
        next = URI.create(state.get("next").asText());
      }
    }
  }

  private URI firstPage() {
    return switch (config.pagination()) {
      case PAGE -> withParams(config.firstPage(), String.valueOf(config.firstPageNumber()));
      case OFFSET -> withParams(config.firstPage(), "0");
      case CURSOR, LINK_HEADER -> withParams(config.firstPage(), null);
    };
  }

  /** The first page's URI with the page parameter (if any) and the size parameter. */
  private URI withParams(URI base, String pageValue) {
    StringBuilder query = new StringBuilder(base.getRawQuery() == null ? "" : base.getRawQuery());
    if (pageValue != null) {
      append(query, config.pageParam(), pageValue);
    }
    if (config.sizeParam() != null
        && config.pagination() != HttpSourceConfig.Pagination.LINK_HEADER) {
      append(query, config.sizeParam(), String.valueOf(config.pageSize()));
    }
    String s = base.toString();
    int q = s.indexOf('?');
    return URI.create((q < 0 ? s : s.substring(0, q)) + (query.length() == 0 ? "" : "?" + query));
  }

  private static void append(StringBuilder query, String name, String value) {
    if (query.length() > 0) {
      query.append('&');
    }
    query
        .append(URLEncoder.encode(name, StandardCharsets.UTF_8))
        .append('=')
        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
  }

  private long param(URI uri, long absent) {
    String query = uri.getRawQuery();
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0
            && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8)
                .equals(config.pageParam())) {
          return Long.parseLong(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return absent;
  }

  @Override
  public List<Envelope<Map<String, Object>>> poll(int maxRecords, Duration timeout)
      throws InterruptedException {
    while (buffer.isEmpty() && !finished) {
      if (next == null) {
        finished = true;
        break;
      }
      fetch(next);
    }
    List<Envelope<Map<String, Object>>> out = new ArrayList<>();
    while (!buffer.isEmpty() && out.size() < maxRecords) {
      out.add(buffer.poll());
    }
    return out;
  }

  private void fetch(URI page) throws InterruptedException {
    HttpResponse<byte[]> response = requests.get(page);
    Instant now = clock.instant();
    byte[] body = response.body();
    JsonNode items = null;
    JsonNode root = null;
    String problem = null;
    try {
      root = JSON.readTree(body);
      items = root == null ? null : root.at(config.itemsPointer());
      if (items == null || !items.isArray()) {
        problem = "the page has no JSON array at '" + config.itemsPointer() + "'";
      }
    } catch (IOException e) {
      problem = "the page is not valid JSON (" + e.getClass().getSimpleName() + ")";
    }
    int count = problem == null ? items.size() : -1;
    String after = nextPage(page, response, root, count);
    int skipHere = skip;
    skip = 0;
    String pageText = page.toString();
    String shown = requests.redacted(page);
    if (problem != null) {
      if (after == null && config.pagination() == HttpSourceConfig.Pagination.CURSOR) {
        problem += "; cursor pagination cannot continue past it, the crawl ends here";
      }
      buffer.add(
          Envelope.<Map<String, Object>>builder(null)
              .raw(Arrays.copyOf(body, Math.min(body.length, MAX_DEAD_LETTER_BODY)))
              .source(config.name())
              .position(new HttpItem(pageText, shown, 0, after != null ? after : pageText, 0))
              .ingestTime(now)
              .failure(new MalformedRecordException(problem))
              .build());
    } else {
      for (int i = skipHere; i < items.size(); i++) {
        JsonNode item = items.get(i);
        Envelope.Builder<Map<String, Object>> record;
        byte[] raw = item.toString().getBytes(StandardCharsets.UTF_8);
        if (item.isObject()) {
          @SuppressWarnings("unchecked")
          Map<String, Object> map = JSON.convertValue(item, LinkedHashMap.class);
          record = Envelope.builder(map);
        } else {
          record =
              Envelope.<Map<String, Object>>builder(null)
                  .failure(new MalformedRecordException("the item is not a JSON object"));
        }
        buffer.add(
            record
                .raw(raw)
                .source(config.name())
                .position(
                    i < count - 1
                        ? new HttpItem(pageText, shown, i, pageText, i + 1)
                        : endOfPage(pageText, shown, count, after))
                .ingestTime(now)
                .build());
      }
    }
    next = after == null ? null : URI.create(after);
  }

  /**
   * Where a run resumes after the last item of a page. A page that may still grow is read again
   * from the item after it, so items appended to it are not lost: the last page of cursor and Link
   * styles (the API named no next page), and a page-number page that came back less than full (new
   * items land on it, not on the next page number). Otherwise the next page: an offset page's next
   * offset already points at the item after the last one read.
   */
  private HttpItem endOfPage(String page, String shown, int count, String after) {
    boolean mayGrow =
        after == null
            || (config.pagination() == HttpSourceConfig.Pagination.PAGE
                && count < config.pageSize());
    return mayGrow
        ? new HttpItem(page, shown, count - 1, page, count)
        : new HttpItem(page, shown, count - 1, after, 0);
  }

  /** The page after {@code page}, or null when there is none; {@code count} -1 if unreadable. */
  private String nextPage(URI page, HttpResponse<byte[]> response, JsonNode root, int count) {
    switch (config.pagination()) {
      case PAGE:
        return count == 0
            ? null
            : withParams(
                    stripParams(page), String.valueOf(param(page, config.firstPageNumber()) + 1))
                .toString();
      case OFFSET:
        return count == 0
            ? null
            : withParams(
                    stripParams(page),
                    String.valueOf(param(page, 0) + (count < 0 ? config.pageSize() : count)))
                .toString();
      case CURSOR:
        if (root == null || count < 0) {
          return null;
        }
        JsonNode token = root.at(config.cursorPointer());
        return token.isMissingNode() || token.isNull() || token.asText().isEmpty()
            ? null
            : withParams(config.firstPage(), token.asText()).toString();
      case LINK_HEADER:
      default:
        for (String link : response.headers().allValues("Link")) {
          Matcher m = NEXT_LINK.matcher(link);
          if (m.find()) {
            return page.resolve(m.group(1)).toString();
          }
        }
        return null;
    }
  }

  private URI stripParams(URI page) {
    String query = page.getRawQuery();
    if (query == null) {
      return page;
    }
    StringBuilder kept = new StringBuilder();
    for (String pair : query.split("&")) {
      String name = URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8);
      if (!name.equals(config.pageParam()) && !name.equals(config.sizeParam())) {
        kept.append(kept.length() == 0 ? "" : "&").append(pair);
      }
    }
    String s = page.toString();
    return URI.create(s.substring(0, s.indexOf('?')) + (kept.length() == 0 ? "" : "?" + kept));
  }

  @Override
  public boolean isFinished() {
    return finished && buffer.isEmpty();
  }

  @Override
  public void commit(Position position) {
    if (!(position instanceof HttpItem item)) {
      return;
    }
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("page", item.resumePage());
    state.put("skip", item.resumeSkip());
    try {
      checkpoints.save(config.checkpointKey(), JSON.writeValueAsString(state));
    } catch (IOException e) {
      throw new CollectException("cannot write the HTTP source's checkpoint as JSON", e);
    }
  }

  @Override
  public void close() {
    // The JDK HttpClient holds no resource worth closing before Java 21.
  }
}
