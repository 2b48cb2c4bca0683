/**
 * Collect's implementation, not API: classes here change without notice. Use the factories on the
 * interfaces in {@code dev.collect.core} instead.
 */
package dev.collect.core.internal;
