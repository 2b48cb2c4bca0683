package dev.collect.batch.internal.lake;

import dev.collect.core.Position;
import java.util.LinkedHashMap;
import java.util.Map;

/** A source position numbered in delivery order by {@link CommittingSource}. */
record SequencedPosition(long seq, Position inner) implements Position {
  @Override
  public Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>(inner == null ? Map.of() : inner.describe());
    out.put("seq", seq);
    return out;
  }
}
