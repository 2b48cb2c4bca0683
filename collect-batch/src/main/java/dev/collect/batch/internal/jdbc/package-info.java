/** JDBC implementations: the checkpoint store, the incremental source, the batched sink. */
package dev.collect.batch.internal.jdbc;
