/** A scheduled, incremental JDBC to Parquet lake job. */
package dev.collect.examples.batch;
