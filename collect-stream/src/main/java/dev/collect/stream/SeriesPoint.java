package dev.collect.stream;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A point of a time series after gap and anomaly detection: either a record that arrived, or a gap
 * where one was expected and none came ({@code is_gap}, no value). Immutable.
 *
 * @param series the series key (a sensor, a metric and host...)
 * @param time the point's time: the record's, or the expected time of a missing one
 * @param value the original record, or null for a gap
 * @param measurement the measured number, or null for a gap
 * @param isGap true when no record arrived for this expected time
 * @param anomaly true when the measurement is an outlier against the series' recent points
 * @param score the z-score or modified z-score it was judged by, or null when not judged (a gap,
 *     too few points yet, or no spread)
 * @param <T> the record type
 */
public record SeriesPoint<T>(
    String series,
    Instant time,
    @Nullable T value,
    @Nullable Double measurement,
    @JsonProperty("is_gap") boolean isGap,
    boolean anomaly,
    @Nullable Double score) {}
