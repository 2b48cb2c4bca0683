package dev.collect.core.contract;

import dev.collect.core.Sink;
import dev.collect.core.testing.TestSink;
import java.util.List;

/** Runs {@link SinkContract} on an in-memory sink of core or its test kit. */
class TestSinkContractTest extends SinkContract<String> {
  private final TestSink<String> sink = new TestSink<>();

  @Override
  protected Sink<String> newSink() {
    return sink;
  }

  @Override
  protected String record(String id) {
    return id;
  }

  @Override
  protected List<String> readBack() {
    return sink.values();
  }
}
