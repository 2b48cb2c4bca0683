/**
 * Implementations behind {@code dev.collect.stream.avro}, and the schema-registry wire format that
 * the Protobuf collectors share ({@link dev.collect.stream.internal.avro.WriterSchemas}); not API.
 */
@NullMarked
package dev.collect.stream.internal.avro;

import org.jspecify.annotations.NullMarked;
