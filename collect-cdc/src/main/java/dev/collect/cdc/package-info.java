/**
 * Change data capture from PostgreSQL (pgoutput) and MySQL/MariaDB (binlog) through the Debezium
 * embedded engine: {@link dev.collect.cdc.CdcSource}, its {@link dev.collect.cdc.CdcSourceConfig}
 * and the {@link dev.collect.cdc.ChangeEvent} model.
 */
@NullMarked
package dev.collect.cdc;

import org.jspecify.annotations.NullMarked;
