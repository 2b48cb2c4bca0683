package dev.collect.core.contract;

import dev.collect.core.Envelope;
import dev.collect.core.Source;
import java.util.ArrayList;
import java.util.List;

/** {@link Source#fromList}: bounded, does not resume. */
class ListSourceContractTest extends SourceContract<String> {
  private final List<String> values = new ArrayList<>();

  @Override
  protected void write(List<String> ids) {
    values.addAll(ids);
  }

  @Override
  protected Source<String> newSource() {
    return Source.fromList("list", values);
  }

  @Override
  protected String idOf(Envelope<String> envelope) {
    return envelope.value();
  }

  @Override
  protected boolean isBounded() {
    return true;
  }

  @Override
  protected boolean resumesFromCommits() {
    return false;
  }
}
