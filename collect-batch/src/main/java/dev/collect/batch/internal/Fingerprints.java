package dev.collect.batch.internal;

import dev.collect.core.Position;
import java.util.Map;

/**
 * 64-bit fingerprints of positions, stable across processes: FNV-1a over each field's name and
 * value text, combined independently of the map's iteration order.
 */
public final class Fingerprints {
  private static final long OFFSET = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;

  private Fingerprints() {}

  /** The fingerprint of a position's description; 0 for null. */
  public static long of(Position position) {
    if (position == null) {
      return 0;
    }
    long sum = 0;
    for (Map.Entry<String, Object> e : position.describe().entrySet()) {
      long h = fnv(fnv(OFFSET, e.getKey()) * PRIME, String.valueOf(e.getValue()));
      sum += mix(h);
    }
    return sum == 0 ? 1 : sum;
  }

  private static long fnv(long hash, String text) {
    for (int i = 0; i < text.length(); i++) {
      hash ^= text.charAt(i);
      hash *= PRIME;
    }
    return hash;
  }

  /** SplitMix64's finaliser: spreads the bits so that sums of fingerprints do not collide. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
