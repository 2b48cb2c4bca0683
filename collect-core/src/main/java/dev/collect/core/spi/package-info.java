/**
 * What module authors share when they write a connector: argument checks with one message format
 * ({@link dev.collect.core.spi.Checks}), one retry executor ({@link dev.collect.core.spi.Retrier}),
 * one value for a record's failure ({@link dev.collect.core.spi.Failure}), one bounded hand-off
 * between threads ({@link dev.collect.core.spi.BoundedHandOff}) and named daemon threads for a
 * connector's own threads ({@link dev.collect.core.spi.DaemonThreads}). Public and stable like the
 * API, but for building Collect parts rather than pipelines. Null-marked: nothing is null unless
 * annotated {@code @Nullable}.
 */
@NullMarked
package dev.collect.core.spi;

import org.jspecify.annotations.NullMarked;
