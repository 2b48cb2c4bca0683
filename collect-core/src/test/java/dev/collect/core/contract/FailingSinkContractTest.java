package dev.collect.core.contract;

import dev.collect.core.Sink;
import dev.collect.core.testing.FailingSink;
import dev.collect.core.testing.TestSink;
import java.util.List;

/** Runs {@link SinkContract} on an in-memory sink of core or its test kit. */
class FailingSinkContractTest extends SinkContract<String> {
  private final TestSink<String> store = new TestSink<>();

  @Override
  protected Sink<String> newSink() {
    return FailingSink.rejecting(store, value -> value.startsWith("poison"));
  }

  @Override
  protected String record(String id) {
    return id;
  }

  @Override
  protected String rejectedRecord(String id) {
    return "poison-" + id;
  }

  @Override
  protected List<String> readBack() {
    return store.values();
  }
}
