/**
 * Batch collection: scheduled jobs with run history, incremental file, JDBC and HTTP-API sources,
 * data-lake (JSON Lines, CSV, Parquet) and JDBC sinks, and a JDBC checkpoint store.
 */
@NullMarked
package dev.collect.batch;

import org.jspecify.annotations.NullMarked;
