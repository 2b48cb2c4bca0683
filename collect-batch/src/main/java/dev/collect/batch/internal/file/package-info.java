/** The directory source: line reading, decompression, parsing and progress state. */
@NullMarked
package dev.collect.batch.internal.file;

import org.jspecify.annotations.NullMarked;
