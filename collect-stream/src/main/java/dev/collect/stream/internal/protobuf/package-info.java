/** Implementations behind {@code dev.collect.stream.protobuf}; not API, may change any time. */
@NullMarked
package dev.collect.stream.internal.protobuf;

import org.jspecify.annotations.NullMarked;
