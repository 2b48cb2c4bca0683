/** Wrappers around user steps: per-worker instances from a factory. */
@NullMarked
package dev.collect.core.internal.step;

import org.jspecify.annotations.NullMarked;
