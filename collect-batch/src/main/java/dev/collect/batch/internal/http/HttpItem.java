package dev.collect.batch.internal.http;

import dev.collect.core.Position;
import java.util.Map;

/**
 * An item of a page: the page's URI (as read, and as shown in dead letters) and its index, and
 * where a run resumes once this item is settled: the page to ask for and how many of its items to
 * skip.
 */
record HttpItem(String page, String shownPage, int index, String resumePage, int resumeSkip)
    implements Position {
  @Override
  public Map<String, Object> describe() {
    return Map.of("page", shownPage, "item", index);
  }
}
