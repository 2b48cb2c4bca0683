package dev.collect.eventstore;

/**
 * What an append did.
 *
 * @param streamId the stream
 * @param firstVersion the stream version of the first appended event
 * @param lastVersion the stream version of the last one: pass it as the next expected version
 * @param firstPosition the global position of the first appended event
 * @param duplicate true when every event id was already stored by an earlier append of the same
 *     events (a retry): nothing was written, and the versions are those of the earlier append
 */
public record AppendResult(
    String streamId, long firstVersion, long lastVersion, long firstPosition, boolean duplicate) {}
