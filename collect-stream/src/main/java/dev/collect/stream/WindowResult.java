package dev.collect.stream;

import java.time.Instant;

/**
 * The aggregate of one key in one window. Immutable.
 *
 * @param key the key the records were grouped by
 * @param windowStart inclusive
 * @param windowEnd exclusive
 * @param domain event or processing time
 * @param records how many records went into it
 * @param value the aggregation's result
 * @param update false for the first result when the window closed; true for a corrected result
 *     after a late record arrived within the allowed lateness (replace the earlier one)
 * @param <K> the key type
 * @param <R> the result type
 */
public record WindowResult<K, R>(
    K key,
    Instant windowStart,
    Instant windowEnd,
    TimeDomain domain,
    long records,
    R value,
    boolean update) {}
