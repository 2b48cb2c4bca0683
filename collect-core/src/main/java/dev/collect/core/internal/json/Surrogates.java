package dev.collect.core.internal.json;

/**
 * Finds {@code \\u} escapes of lone UTF-16 surrogates in JSON bytes. Jackson decodes {@code
 * "\\ud800"} into a string that no UTF-8 writer can write back, so such a record fails later, in a
 * sink, far from its cause; the collector rejects it instead.
 */
final class Surrogates {
  private Surrogates() {}

  /** The byte offset of the first escaped lone surrogate, or -1. */
  static int loneAt(byte[] json) {
    int n = json.length;
    for (int i = 0; i < n; i++) {
      if (json[i] != '\\') {
        continue;
      }
      if (i + 5 >= n || json[i + 1] != 'u') {
        i++; // an escaped character, maybe a backslash: skip it whole
        continue;
      }
      int c = hex4(json, i + 2);
      if (c >= 0xD800 && c <= 0xDBFF) {
        boolean paired =
            i + 11 < n && json[i + 6] == '\\' && json[i + 7] == 'u' && isLow(hex4(json, i + 8));
        if (!paired) {
          return i;
        }
        i += 11;
      } else if (isLow(c)) {
        return i;
      } else {
        i += 5;
      }
    }
    return -1;
  }

  private static boolean isLow(int c) {
    return c >= 0xDC00 && c <= 0xDFFF;
  }

  /** The value of four hex digits at {@code from}, or -1 (Jackson reports bad escapes). */
  private static int hex4(byte[] b, int from) {
    int value = 0;
    for (int i = from; i < from + 4; i++) {
      int d = Character.digit(b[i], 16);
      if (d < 0) {
        return -1;
      }
      value = value * 16 + d;
    }
    return value;
  }
}
