package dev.collect.stream.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the signatures seen within the timestamp tolerance, so that a captured request sent
 * again while its timestamp is still fresh is refused too. Bounded: the oldest entries go first (an
 * evicted entry whose timestamp is still fresh could be replayed once; the bound is large).
 * Thread-safe.
 */
final class ReplayGuard {
  private final int maxEntries;
  private final long toleranceSeconds;
  private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

  ReplayGuard(int maxEntries, long toleranceSeconds) {
    this.maxEntries = maxEntries;
    this.toleranceSeconds = toleranceSeconds;
  }

  /**
   * Reserves {@code signature}: true the first time, false for a replay. A request that is then not
   * accepted (429) {@link #release}s it so that the sender may retry it unchanged.
   */
  synchronized boolean reserve(String signature, long timestamp, long now) {
    var it = seen.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Long> oldest = it.next();
      if (seen.size() < maxEntries && oldest.getValue() >= now - toleranceSeconds) {
        break;
      }
      it.remove();
    }
    return seen.putIfAbsent(signature, timestamp) == null;
  }

  synchronized void release(String signature) {
    seen.remove(signature);
  }
}
