package dev.collect.core.contract;

import dev.collect.core.DeadLetter;
import dev.collect.core.Sink;
import dev.collect.core.testing.TestDeadLetterSink;
import java.util.List;

/** Runs {@link SinkContract} on an in-memory sink of core or its test kit. */
class TestDeadLetterSinkContractTest extends SinkContract<DeadLetter> {
  private final TestDeadLetterSink sink = new TestDeadLetterSink();

  @Override
  protected Sink<DeadLetter> newSink() {
    return deadLetters(sink);
  }

  @Override
  protected DeadLetter record(String id) {
    return deadLetter(id);
  }

  @Override
  protected List<String> readBack() {
    return sink.letters().stream().map(DeadLetter::key).toList();
  }
}
