/**
 * Test tools for users and for Collect's own tests: in-memory sources and sinks with assertions,
 * sinks that fail on purpose, a dead-letter sink that keeps what it gets.
 */
@NullMarked
package dev.collect.core.testing;

import org.jspecify.annotations.NullMarked;
