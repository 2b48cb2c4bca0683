/**
 * Contract tests (a TCK) every {@link dev.collect.core.Source} and {@link dev.collect.core.Sink}
 * passes, shipped in collect-core's test jar, with the subclasses that run them on core's own
 * sources and sinks.
 */
package dev.collect.core.contract;
