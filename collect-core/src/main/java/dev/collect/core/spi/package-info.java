/**
 * What module authors share when they write a connector: argument checks with one message format.
 * Public and stable like the API, but for building Collect parts rather than pipelines.
 */
package dev.collect.core.spi;
