package dev.collect.batch.internal.http;

import dev.collect.core.Position;
import java.util.Map;

/**
 * An item of a page: the page's URI, its index, whether it is the page's last, and the page to read
 * after this page (null when the API has no more).
 */
record HttpItem(String page, int index, boolean lastOfPage, String next) implements Position {
  @Override
  public Map<String, Object> describe() {
    return Map.of("page", page, "item", index);
  }
}
