/** JDBC implementations: the checkpoint store, the incremental source, the batched sink. */
@NullMarked
package dev.collect.batch.internal.jdbc;

import org.jspecify.annotations.NullMarked;
