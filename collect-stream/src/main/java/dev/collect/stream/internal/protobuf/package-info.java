/** Implementations behind {@code dev.collect.stream.protobuf}; not API, may change any time. */
package dev.collect.stream.internal.protobuf;
