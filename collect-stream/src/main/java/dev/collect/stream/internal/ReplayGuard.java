package dev.collect.stream.internal;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the signatures seen within the timestamp tolerance, so that a captured request sent
 * again while its timestamp is still fresh is refused too. Keyed on the verified MAC bytes, not on
 * the header's text: the header can spell one MAC in several ways (hex case, prefix case,
 * whitespace), and the MAC covers exactly the timestamp and the body. Bounded: the oldest entries
 * go first (an evicted entry whose timestamp is still fresh could be replayed once; the bound is
 * large). Thread-safe.
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
   * Reserves the verified {@code mac}: true the first time, false for a replay. A request that is
   * then not accepted (429) {@link #release}s it so that the sender may retry it unchanged.
   */
  synchronized boolean reserve(byte[] mac, long timestamp, long now) {
    var it = seen.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Long> oldest = it.next();
      if (seen.size() < maxEntries && oldest.getValue() >= now - toleranceSeconds) {
        break;
      }
      it.remove();
    }
    return seen.putIfAbsent(HexFormat.of().formatHex(mac), timestamp) == null;
  }

  synchronized void release(byte[] mac) {
    seen.remove(HexFormat.of().formatHex(mac));
  }
}
