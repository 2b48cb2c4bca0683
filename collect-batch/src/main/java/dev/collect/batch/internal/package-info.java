/** Implementations behind the {@code dev.collect.batch} API: not API, may change in any release. */
@NullMarked
package dev.collect.batch.internal;

import org.jspecify.annotations.NullMarked;
