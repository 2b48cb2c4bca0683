/** Built-in sources and sinks: in-memory lists, JSON Lines files, dead-letter files. */
package dev.collect.core.internal.io;
