/** Built-in sources and sinks: in-memory lists, JSON Lines files, dead-letter files. */
@NullMarked
package dev.collect.core.internal.io;

import org.jspecify.annotations.NullMarked;
