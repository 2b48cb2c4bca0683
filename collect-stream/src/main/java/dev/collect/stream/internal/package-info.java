/** Implementations behind {@code dev.collect.stream}'s factories; not API, may change any time. */
@NullMarked
package dev.collect.stream.internal;

import org.jspecify.annotations.NullMarked;
