package dev.collect.cdc;

import dev.collect.core.CheckpointStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real checkpoint store that also remembers when each value was saved under one key, so a test
 * can see how often the committed offset moved (test support).
 */
final class RecordingCheckpointStore implements CheckpointStore {
  /** One save: when (System.nanoTime), what, and how many events the sink held then. */
  record Save(long nanos, String value, int sinkSize) {}

  private final CheckpointStore delegate;
  private final String key;
  private final java.util.function.IntSupplier sinkSize;
  private final List<Save> saves = new ArrayList<>();

  RecordingCheckpointStore(
      CheckpointStore delegate, String key, java.util.function.IntSupplier sinkSize) {
    this.delegate = delegate;
    this.key = key;
    this.sinkSize = sinkSize;
  }

  @Override
  public Optional<String> load(String k) {
    return delegate.load(k);
  }

  @Override
  public void save(String k, String value) {
    int held = sinkSize.getAsInt();
    delegate.save(k, value);
    if (k.equals(key)) {
      synchronized (saves) {
        saves.add(new Save(System.nanoTime(), value, held));
      }
    }
  }

  @Override
  public void delete(String k) {
    delegate.delete(k);
  }

  List<Save> saves() {
    synchronized (saves) {
      return List.copyOf(saves);
    }
  }
}
