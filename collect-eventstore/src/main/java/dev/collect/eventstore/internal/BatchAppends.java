package dev.collect.eventstore.internal;

import dev.collect.eventstore.AppendResult;
import dev.collect.eventstore.EventData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;

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

  /**
   * Prepares each stream's append with {@code prepare} (checks, conversion), starts those it
   * accepted together with {@code start}, and fails alone each it refused; one future per stream,
   * in {@code byStream}'s order.
   */
  static List<CompletableFuture<AppendResult>> startPrepared(
      Map<String, List<EventData>> byStream,
      BiFunction<String, List<EventData>, List<EventData>> prepare,
      Function<Map<String, List<EventData>>, List<CompletableFuture<AppendResult>>> start) {
    Map<String, List<EventData>> prepared = new LinkedHashMap<>();
    Map<String, RuntimeException> refused = new HashMap<>();
    for (Map.Entry<String, List<EventData>> e : byStream.entrySet()) {
      try {
        prepared.put(e.getKey(), prepare.apply(e.getKey(), e.getValue()));
      } catch (RuntimeException failed) {
        refused.put(e.getKey(), failed);
      }
    }
    Iterator<CompletableFuture<AppendResult>> started = start.apply(prepared).iterator();
    List<CompletableFuture<AppendResult>> futures = new ArrayList<>(byStream.size());
    for (String streamId : byStream.keySet()) {
      RuntimeException failed = refused.get(streamId);
      futures.add(failed != null ? CompletableFuture.failedFuture(failed) : started.next());
    }
    return futures;
  }
}
