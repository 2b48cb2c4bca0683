package dev.collect.eventstore.internal;

import dev.collect.eventstore.AppendResult;
import dev.collect.eventstore.EventData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A store that starts several appends at once, so that its writer sees them together: the file
 * store commits them in one group (one fsync) as far as {@code maxGroupCommitBytes} allows.
 * Appending them one {@code appendAsync} at a time races the writer, which may take the first
 * before the others are queued.
 */
interface BatchAppends {

  /**
   * Starts one append per stream of {@code byStream}, in its order, each with expected version
   * {@code any}; one future per stream, in the same order.
   */
  List<CompletableFuture<AppendResult>> appendAllAsync(Map<String, List<EventData>> byStream);
}
