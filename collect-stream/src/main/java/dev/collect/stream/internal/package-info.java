/** Implementations behind {@code dev.collect.stream}'s factories; not API, may change any time. */
package dev.collect.stream.internal;
