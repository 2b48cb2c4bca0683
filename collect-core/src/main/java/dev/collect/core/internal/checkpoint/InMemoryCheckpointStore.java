package dev.collect.core.internal.checkpoint;

import dev.collect.core.CheckpointStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Checkpoints in a map, lost with the process. */
public final class InMemoryCheckpointStore implements CheckpointStore {
  private final Map<String, String> values = new ConcurrentHashMap<>();

  @Override
  public Optional<String> load(String key) {
    return Optional.ofNullable(values.get(Keys.check(key)));
  }

  @Override
  public void save(String key, String value) {
    values.put(Keys.check(key), java.util.Objects.requireNonNull(value, "value"));
  }

  @Override
  public void delete(String key) {
    values.remove(Keys.check(key));
  }
}
