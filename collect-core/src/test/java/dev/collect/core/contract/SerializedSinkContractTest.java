package dev.collect.core.contract;

import dev.collect.core.Sink;
import dev.collect.core.internal.runtime.SerializedSink;
import java.util.ArrayList;
import java.util.List;

/** Runs {@link SinkContract} on an in-memory sink of core or its test kit. */
class SerializedSinkContractTest extends SinkContract<String> {
  private final List<String> store = new ArrayList<>();

  @Override
  protected Sink<String> newSink() {
    return SerializedSink.wrapIfNeeded(
        Sink.<String>of("lambda", batch -> batch.forEach(e -> store.add(e.value()))));
  }

  @Override
  protected String record(String id) {
    return id;
  }

  @Override
  protected List<String> readBack() {
    return List.copyOf(store);
  }
}
