/** Benchmarks: the runtime's own cost (JMH) and the clickstream ETL workload, SDK and plain. */
package dev.collect.examples.bench;
