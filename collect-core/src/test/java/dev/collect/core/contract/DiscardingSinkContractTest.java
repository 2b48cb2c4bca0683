package dev.collect.core.contract;

import dev.collect.core.Sink;
import java.util.List;

/** Runs {@link SinkContract} on an in-memory sink of core or its test kit. */
class DiscardingSinkContractTest extends SinkContract<String> {
  @Override
  protected Sink<String> newSink() {
    return Sink.discard();
  }

  @Override
  protected String record(String id) {
    return id;
  }

  @Override
  protected List<String> readBack() {
    return null;
  }
}
