/**
 * How {@code collect-cdc} drives Debezium: the engine hand-off, the ledger of unsettled records,
 * the offset store over core's checkpoints, and the mapping of Kafka Connect records. Not API.
 */
@NullMarked
package dev.collect.cdc.internal;

import org.jspecify.annotations.NullMarked;
