/**
 * Collect's implementation, not API: classes here change without notice. Use the factories on the
 * interfaces in {@code dev.collect.core} instead.
 */
@NullMarked
package dev.collect.core.internal;

import org.jspecify.annotations.NullMarked;
