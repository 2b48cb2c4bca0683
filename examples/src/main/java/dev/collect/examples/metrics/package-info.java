/** Collect's meters served to Prometheus, for the Grafana dashboard in {@code examples/grafana}. */
package dev.collect.examples.metrics;
