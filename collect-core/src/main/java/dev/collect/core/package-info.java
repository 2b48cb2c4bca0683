/**
 * Collect's public API: the four interfaces ({@link dev.collect.core.Source}, {@link
 * dev.collect.core.Collector}, {@link dev.collect.core.Validator}, {@link dev.collect.core.Sink}),
 * the {@link dev.collect.core.Pipeline} builder and the runtime's reports and policies.
 */
@NullMarked
package dev.collect.core;

import org.jspecify.annotations.NullMarked;
