package dev.collect.batch;

import dev.collect.core.Sink;
import dev.collect.core.Source;

/**
 * A data-lake sink (see {@link Lake}). For exactly-once output across crashes, read the pipeline's
 * source through {@link #committing(Source)}: the sink then learns which source positions were
 * committed and, after a crash, skips exactly the replayed records it had already published.
 *
 * @param <T> the record type
 */
public interface LakeWriter<T> extends Sink<T> {

  /**
   * Wraps the pipeline's source so that this sink sees its commits. Envelopes keep their values;
   * their positions are wrapped (the description gains a {@code seq} field) and unwrapped again
   * before the source's own commit.
   */
  <R> Source<R> committing(Source<R> source);

  /** Publishes the open files and, after a clean run, writes the run manifest. */
  @Override
  void close() throws java.io.IOException;
}
