/**
 * Streaming sources and sinks (Kafka, MQTT, webhooks) and stream operators (event time, windows,
 * late data, de-duplication, time series) for Collect pipelines. Implementations live in {@code
 * dev.collect.stream.internal}.
 */
@NullMarked
package dev.collect.stream;

import org.jspecify.annotations.NullMarked;
