/** The data-lake sink: file writers per format, atomic publication, replay fence, manifests. */
package dev.collect.batch.internal.lake;
