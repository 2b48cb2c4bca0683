/** Implementation of the event store backends and layers; not API, may change without notice. */
package dev.collect.eventstore.internal;
