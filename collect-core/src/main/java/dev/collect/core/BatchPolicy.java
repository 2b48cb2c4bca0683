package dev.collect.core;

import dev.collect.core.spi.Checks;
import java.time.Duration;

/**
 * How workers group records into sink batches: a batch is written when it holds {@code maxRecords}
 * records or {@code maxBytes} bytes, or when {@code linger} passed since its first record.
 *
 * @param maxRecords records per sink batch and per source poll; default {@value
 *     #DEFAULT_MAX_RECORDS}
 * @param maxBytes estimated bytes ({@link Envelope#sizeEstimate()}) per sink batch and per source
 *     poll (see {@link Source#poll(int, long, java.time.Duration)}); a batch or poll ends once it
 *     holds this many; default {@value #DEFAULT_MAX_BYTES}
 * @param linger how long a partial batch may wait for more records; default 50 ms
 */
public record BatchPolicy(int maxRecords, long maxBytes, Duration linger) {

  public static final int DEFAULT_MAX_RECORDS = 1024;
  public static final long DEFAULT_MAX_BYTES = 4L * 1024 * 1024;
  public static final Duration DEFAULT_LINGER = Duration.ofMillis(50);

  public BatchPolicy {
    Checks.positive("maxRecords", maxRecords);
    Checks.positive("maxBytes", maxBytes);
    Checks.notNegative("linger", linger);
  }

  /** 1024 records, 4 MiB, 50 ms. */
  public static BatchPolicy defaults() {
    return new BatchPolicy(DEFAULT_MAX_RECORDS, DEFAULT_MAX_BYTES, DEFAULT_LINGER);
  }

  /** The defaults with another record count. */
  public static BatchPolicy ofRecords(int maxRecords) {
    return new BatchPolicy(maxRecords, DEFAULT_MAX_BYTES, DEFAULT_LINGER);
  }

  /** This policy with another linger. */
  public BatchPolicy withLinger(Duration newLinger) {
    return new BatchPolicy(maxRecords, maxBytes, newLinger);
  }

  /** This policy with another byte bound. */
  public BatchPolicy withMaxBytes(long newMaxBytes) {
    return new BatchPolicy(maxRecords, newMaxBytes, linger);
  }
}
