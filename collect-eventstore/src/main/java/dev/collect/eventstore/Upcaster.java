package dev.collect.eventstore;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns the JSON payload of one event type from schema version {@code v} into version {@code v +
 * 1}, in place or as a new node. Registered in {@link Upcasters}; must be thread-safe and pure.
 */
@FunctionalInterface
public interface Upcaster {
  ObjectNode upcast(ObjectNode payload);
}
