/** Implementations behind {@code dev.collect.stream.avro}; not API, may change any time. */
package dev.collect.stream.internal.avro;
