/** The directory source: line reading, decompression, parsing and progress state. */
package dev.collect.batch.internal.file;
