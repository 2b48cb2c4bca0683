package dev.collect.core.testing;

import dev.collect.core.DeadLetter;
import dev.collect.core.DeadLetterSink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Keeps the dead letters it gets, in order. Thread-safe. */
public final class TestDeadLetterSink implements DeadLetterSink {
  private final List<DeadLetter> letters = Collections.synchronizedList(new ArrayList<>());

  @Override
  public String name() {
    return "test-dead-letters";
  }

  @Override
  public void write(List<DeadLetter> batch) {
    letters.addAll(batch);
  }

  /** The dead letters, in order. */
  public List<DeadLetter> letters() {
    synchronized (letters) {
      return List.copyOf(letters);
    }
  }

  /** How many dead letters arrived. */
  public int size() {
    return letters.size();
  }
}
