package dev.collect.core.internal.io;

import dev.collect.core.Envelope;
import dev.collect.core.PipelineContext;
import dev.collect.core.Position;
import dev.collect.core.Source;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A bounded source over a list; positions are the indexes. Can key records, start at an index and
 * cap the records per poll (the test kit's {@code TestSource} builds on it). Ingest times come from
 * the pipeline's clock.
 */
public final class ListSource<R> implements Source<R> {
  private final String name;
  private final List<R> values;
  private final Function<? super R, ?> keys;
  private final int maxPerPoll;
  private int next;
  private Clock clock = Clock.systemUTC();

  public ListSource(String name, List<R> values) {
    this(name, values, v -> null, 0, Integer.MAX_VALUE);
  }

  public ListSource(
      String name, List<R> values, Function<? super R, ?> keys, int from, int maxPerPoll) {
    this.name = name;
    this.values = values;
    this.keys = keys;
    this.next = from;
    this.maxPerPoll = maxPerPoll;
  }

  @Override
  public void open(PipelineContext context) {
    this.clock = context.clock();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<Envelope<R>> poll(int maxRecords, Duration timeout) {
    int end = Math.min(values.size(), next + Math.min(maxRecords, maxPerPoll));
    List<Envelope<R>> batch = new ArrayList<>(Math.max(0, end - next));
    Instant now = clock.instant();
    for (; next < end; next++) {
      R value = values.get(next);
      batch.add(
          Envelope.builder(value)
              .key(keys.apply(value))
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
