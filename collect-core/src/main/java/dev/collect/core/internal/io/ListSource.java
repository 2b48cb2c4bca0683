package dev.collect.core.internal.io;

import dev.collect.core.Envelope;
import dev.collect.core.Position;
import dev.collect.core.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A bounded source over a list; positions are the indexes. */
public final class ListSource<R> implements Source<R> {
  private final String name;
  private final List<R> values;
  private int next;

  public ListSource(String name, List<R> values) {
    this.name = name;
    this.values = values;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<Envelope<R>> poll(int maxRecords, Duration timeout) {
    int end = Math.min(values.size(), next + maxRecords);
    List<Envelope<R>> batch = new ArrayList<>(end - next);
    Instant now = Instant.now();
    for (; next < end; next++) {
      batch.add(
          Envelope.builder(values.get(next))
              .source(name)
              .position(Position.sequence(next))
              .ingestTime(now)
              .build());
    }
    return batch;
  }

  @Override
  public boolean isFinished() {
    return next >= values.size();
  }
}
