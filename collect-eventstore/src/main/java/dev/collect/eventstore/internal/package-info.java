/** Implementation of the event store backends and layers; not API, may change without notice. */
@NullMarked
package dev.collect.eventstore.internal;

import org.jspecify.annotations.NullMarked;
