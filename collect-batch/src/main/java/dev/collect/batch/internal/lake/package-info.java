/** The data-lake sink: file writers per format, atomic publication, replay fence, manifests. */
@NullMarked
package dev.collect.batch.internal.lake;

import org.jspecify.annotations.NullMarked;
