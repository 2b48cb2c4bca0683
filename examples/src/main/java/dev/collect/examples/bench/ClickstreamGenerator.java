package dev.collect.examples.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Writes the benchmark input of {@code shared/bench/WORKLOAD.md}, byte for byte: N lines from one
 * {@code SplittableRandom(seed)}, 1 % malformed and 2 % schema-invalid at positions chosen by a
 * seeded partial Fisher-Yates shuffle.
 *
 * <pre>
 * java -cp ... dev.collect.examples.bench.ClickstreamGenerator --out input.jsonl --n 1000000 --seed 42
 * </pre>
 */
public final class ClickstreamGenerator {
  private static final byte MALFORMED = 1;
  private static final byte INVALID = 2;
  private static final String[] PAGES = {
    "home", "search", "category", "product", "cart", "checkout", "account"
  };
  private static final String[] DEVICES = {"mobile", "desktop", "tablet"};
  private static final String[] BAD_TYPES = {"share", "hover", "scroll", "Click"};
  private static final String[] BAD_TIMESTAMPS = {
    "2026-11-01 12:34:56", "yesterday", "2026-13-45T25:61:00.000Z", "1793535296789"
  };
  private static final HexFormat HEX = HexFormat.of();
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private ClickstreamGenerator() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of("clickstream.jsonl");
    int n = 1_000_000;
    long seed = 42;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(args[++i]);
        case "--n" -> n = Integer.parseInt(args[++i].replace("_", ""));
        case "--seed" -> seed = Long.parseLong(args[++i]);
        default -> {
          System.out.println("Usage: ClickstreamGenerator [--out FILE] [--n N] [--seed S]");
          return;
        }
      }
    }
    long[] counts = generate(out, n, seed);
    System.out.printf(
        "valid=%d malformed=%d invalid=%d%n",
        counts[0], counts[1], counts[2] + counts[3] + counts[4] + counts[5]);
    System.out.printf(
        "missing_user_id=%d negative_position=%d unknown_event_type=%d bad_timestamp=%d%n",
        counts[2], counts[3], counts[4], counts[5]);
  }

  /** Writes the file; returns counts: valid, malformed, then the four invalid kinds. */
  static long[] generate(Path out, int n, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] kind = badLines(random, n);
    long[] counts = new long[6];
    long time = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    int invalidSeen = 0;
    StringBuilder line = new StringBuilder(320);
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (BufferedWriter writer =
        new BufferedWriter(
            new OutputStreamWriter(Files.newOutputStream(out), StandardCharsets.UTF_8), 1 << 20)) {
      for (int i = 0; i < n; i++) {
        time += random.nextInt(200);
        int invalidKind = kind[i] == INVALID ? invalidSeen++ % 4 : -1;
        line.setLength(0);
        event(line, random, time, invalidKind);
        if (kind[i] == MALFORMED) {
          int length = line.length();
          // Keeps between a quarter of the line and two characters short of its end.
          line.setLength(length / 4 + random.nextInt(length - 1 - length / 4));
          counts[1]++;
        } else if (invalidKind >= 0) {
          counts[2 + invalidKind]++;
        } else {
          counts[0]++;
        }
        line.append('\n');
        writer.append(line);
      }
    }
    return counts;
  }

  /** Marks round(n × 1 %) lines malformed and round(n × 2 %) invalid by a partial shuffle. */
  private static byte[] badLines(SplittableRandom random, int n) {
    int malformed = (int) Math.round(n * 0.01);
    int invalid = (int) Math.round(n * 0.02);
    byte[] kind = new byte[n];
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int k = 0; k < malformed + invalid; k++) {
      int j = k + random.nextInt(n - k);
      int swap = order[k];
      order[k] = order[j];
      order[j] = swap;
      kind[order[k]] = k < malformed ? MALFORMED : INVALID;
    }
    return kind;
  }

  /** One event; {@code invalidKind} -1 for a valid one, 0 to 3 for the four invalid kinds. */
  private static void event(
      StringBuilder out, SplittableRandom random, long time, int invalidKind) {
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    String eventId = new UUID(msb, lsb).toString();
    long userId = 100_000 + random.nextInt(900_000);
    int item = 1 + random.nextInt(9_999);
    int roll = random.nextInt(100);
    String type =
        roll < 50
            ? "view"
            : roll < 75 ? "click" : roll < 87 ? "add_to_cart" : roll < 92 ? "purchase" : "rating";
    String page = PAGES[random.nextInt(PAGES.length)];
    int position = random.nextInt(50);
    String device = DEVICES[random.nextInt(DEVICES.length)];
    int session = random.nextInt();
    int rating = 1 + random.nextInt(5);
    String timestamp = TIME.format(Instant.ofEpochMilli(time));
    switch (invalidKind) {
      case 1 -> position = -1 - random.nextInt(10);
      case 2 -> type = BAD_TYPES[random.nextInt(BAD_TYPES.length)];
      case 3 -> timestamp = BAD_TIMESTAMPS[random.nextInt(BAD_TIMESTAMPS.length)];
      default -> {}
    }
    out.append("{\"event_id\":\"").append(eventId).append('"');
    if (invalidKind != 0) {
      out.append(",\"user_id\":").append(userId);
    }
    out.append(",\"item_id\":\"product_").append(item).append('"');
    out.append(",\"event_type\":\"").append(type).append('"');
    out.append(",\"timestamp\":\"").append(timestamp).append('"');
    out.append(",\"properties\":{\"page\":\"").append(page).append('"');
    out.append(",\"position\":").append(position);
    out.append(",\"device\":\"").append(device).append('"');
    out.append(",\"session_id\":\"sess_").append(HEX.toHexDigits(session)).append("\"}");
    out.append(",\"value\":").append("rating".equals(type) ? Integer.toString(rating) : "null");
    out.append('}');
  }
}
