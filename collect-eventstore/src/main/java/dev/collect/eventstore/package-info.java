/**
 * An event store: append events to entity streams with optimistic concurrency, read streams, the
 * global log and time ranges, subscribe with durable checkpoints, and replay into pipelines.
 * Backends: an embedded file log (default), PostgreSQL, and memory.
 */
@NullMarked
package dev.collect.eventstore;

import org.jspecify.annotations.NullMarked;
