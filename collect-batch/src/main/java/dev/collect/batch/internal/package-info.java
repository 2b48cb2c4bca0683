/** Implementations behind the {@code dev.collect.batch} API: not API, may change in any release. */
package dev.collect.batch.internal;
