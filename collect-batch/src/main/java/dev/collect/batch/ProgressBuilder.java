package dev.collect.batch;

import dev.collect.core.CheckpointStore;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the builders of the resumable batch sources' configurations share: where progress is kept
 * and the source's name. Not thread-safe.
 *
 * @param <B> the builder's own type
 */
abstract class ProgressBuilder<B extends ProgressBuilder<B>> {
  @Nullable CheckpointStore checkpoints;
  @Nullable String key;
  @Nullable String name;

  abstract B self();

  /**
   * Where progress is kept, under {@code key}; default the pipeline's store and a key derived from
   * the source's name (see the source's documentation).
   */
  public B checkpoints(CheckpointStore store, String key) {
    this.checkpoints = Objects.requireNonNull(store, "store");
    this.key = Objects.requireNonNull(key, "key");
    return self();
  }

  /** The source's name, for metrics, logs and dead letters; the default depends on the source. */
  public B name(String value) {
    this.name = Objects.requireNonNull(value, "name");
    return self();
  }

  /** The key given, or {@code sourceName}. */
  String keyOr(String sourceName) {
    return key != null ? key : sourceName;
  }

  /** The name given, or {@code byDefault}. */
  String nameOr(String byDefault) {
    return name != null ? name : byDefault;
  }
}
