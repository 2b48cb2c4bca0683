/**
 * The pipeline runtime: a reader thread that polls the source and commits settled positions,
 * workers that run the steps over keyed lanes and write sink batches, bounded queues between them.
 */
@NullMarked
package dev.collect.core.internal.runtime;

import org.jspecify.annotations.NullMarked;
