/**
 * Avro records for Collect pipelines: collectors that decode Avro binary, single-object encoding
 * and the schema-registry wire format, the matching Kafka serialisers, and schema registries.
 * Implementations live in {@code dev.collect.stream.internal.avro}.
 */
@NullMarked
package dev.collect.stream.avro;

import org.jspecify.annotations.NullMarked;
