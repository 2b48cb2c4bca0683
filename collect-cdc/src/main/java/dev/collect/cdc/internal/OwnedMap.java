package dev.collect.cdc.internal;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A read-only map over a map that nothing else references: the mapper builds each row image fresh
 * for one event and hands it over, so {@link dev.collect.cdc.ChangeEvent} can keep it as it is
 * instead of copying it again. Only this package creates one, which is what makes skipping the copy
 * safe. Keeps the column order of the map it owns.
 */
public final class OwnedMap<V> extends AbstractMap<String, V> {
  private final Map<String, V> values;

  private OwnedMap(Map<String, V> values) {
    this.values = values;
  }

  /** Takes over {@code fresh}, which the caller must not touch again; null stays null. */
  static <V> Map<String, V> own(Map<String, V> fresh) {
    return fresh == null ? null : new OwnedMap<>(fresh);
  }

  @Override
  public V get(Object key) {
    return values.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return values.containsKey(key);
  }

  @Override
  public int size() {
    return values.size();
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super V> action) {
    values.forEach(action);
  }

  @Override
  public Set<Entry<String, V>> entrySet() {
    return Collections.unmodifiableMap(values).entrySet();
  }
}
