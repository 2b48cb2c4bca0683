/** Checkpoint stores: one file per key replaced atomically, and in memory. */
package dev.collect.core.internal.checkpoint;
