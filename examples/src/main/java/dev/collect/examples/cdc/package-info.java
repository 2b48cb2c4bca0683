/** Change data capture from PostgreSQL into a data lake, with field-level diffs. */
package dev.collect.examples.cdc;
