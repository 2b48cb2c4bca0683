/**
 * Protobuf records for Collect pipelines: collectors that parse a generated message type, plain or
 * in the schema-registry wire format, and the matching Kafka serialisers.
 */
@NullMarked
package dev.collect.stream.protobuf;

import org.jspecify.annotations.NullMarked;
