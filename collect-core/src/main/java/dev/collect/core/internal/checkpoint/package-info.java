/** Checkpoint stores: one file per key replaced atomically, and in memory. */
@NullMarked
package dev.collect.core.internal.checkpoint;

import org.jspecify.annotations.NullMarked;
