package dev.collect.batch.internal.lake;

import dev.collect.core.Envelope;
import dev.collect.core.PipelineContext;
import dev.collect.core.Position;
import dev.collect.core.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Numbers a source's positions and tells the lake sink about each commit, after the source's. */
final class CommittingSource<R> implements Source<R> {
  private final Source<R> source;
  private final LakeSink<?> sink;
  private long seq;

  CommittingSource(Source<R> source, LakeSink<?> sink) {
    this.source = source;
    this.sink = sink;
  }

  @Override
  public String name() {
    return source.name();
  }

  @Override
  public void open(PipelineContext context) throws Exception {
    source.open(context);
  }

  @Override
  public List<Envelope<R>> poll(int maxRecords, Duration timeout) throws Exception {
    List<Envelope<R>> batch = source.poll(maxRecords, timeout);
    List<Envelope<R>> out = new ArrayList<>(batch.size());
    for (Envelope<R> e : batch) {
      Envelope.Builder<R> b =
          Envelope.builder(e.value())
              .key(e.key())
              .eventTime(e.eventTime())
              .ingestTime(e.ingestTime())
              .headers(e.headers())
              .source(e.source())
              .position(new SequencedPosition(++seq, e.position()))
              .raw(e.raw());
      if (e.failure() != null) {
        b.failure(e.failure());
      }
      out.add(b.build());
    }
    return out;
  }

  @Override
  public boolean isFinished() {
    return source.isFinished();
  }

  @Override
  public void commit(Position position) throws Exception {
    SequencedPosition p = (SequencedPosition) position;
    if (p.inner() != null) {
      source.commit(p.inner());
    }
    sink.committed(p.seq());
  }

  @Override
  public void close() throws Exception {
    source.close();
  }
}
