/** Wrappers around user steps: per-worker instances from a factory. */
package dev.collect.core.internal.step;
