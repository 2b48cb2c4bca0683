package dev.collect.core.contract;

import dev.collect.core.Envelope;
import dev.collect.core.Source;
import dev.collect.core.testing.TestSource;
import java.util.ArrayList;
import java.util.List;

/** The test kit's {@link TestSource}: a restart is {@code resumeAfter(lastCommitted())}. */
class TestSourceContractTest extends SourceContract<String> {
  private final List<String> values = new ArrayList<>();
  private TestSource<String> last;

  @Override
  protected void write(List<String> ids) {
    values.addAll(ids);
  }

  @Override
  protected Source<String> newSource() {
    TestSource<String> fresh = TestSource.of(values);
    last = last == null ? fresh : fresh.resumeAfter(last.lastCommitted());
    return last;
  }

  @Override
  protected String idOf(Envelope<String> envelope) {
    return envelope.value();
  }

  @Override
  protected boolean isBounded() {
    return true;
  }
}
