/**
 * Protobuf records for Collect pipelines: a collector that parses a generated message type and the
 * matching Kafka serialiser.
 */
package dev.collect.stream.protobuf;
