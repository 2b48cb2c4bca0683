/**
 * The pipeline runtime: a reader thread that polls the source and commits settled positions,
 * workers that run the steps over keyed lanes and write sink batches, bounded queues between them.
 */
package dev.collect.core.internal.runtime;
