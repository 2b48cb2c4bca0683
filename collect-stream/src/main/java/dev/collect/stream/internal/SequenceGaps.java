package dev.collect.stream.internal;

import dev.collect.stream.MessagesLostException;
import dev.collect.stream.PublisherSequence;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Follows each publisher's numbering and reports the numbers that were skipped. A number at or
 * below the highest seen is a redelivery and changes nothing. The first number seen from a
 * publisher (since the source opened, or since it was forgotten) is taken as it comes. Remembers at
 * most {@link #MAX_PUBLISHERS}, forgetting the least recently heard. Not thread-safe: one receiving
 * thread.
 */
final class SequenceGaps {
  static final int MAX_PUBLISHERS = 100_000;

  private final PublisherSequence.Extractor extractor;
  private final Map<String, Long> highest =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > MAX_PUBLISHERS;
        }
      };

  SequenceGaps(PublisherSequence.Extractor extractor) {
    this.extractor = extractor;
  }

  /** The gap this message reveals, or null. */
  MessagesLostException check(String topic, byte[] payload) {
    PublisherSequence sequence;
    try {
      sequence = extractor.of(topic, payload);
    } catch (Exception unnumbered) {
      // A payload the extractor cannot read is delivered as usual; the collector judges it.
      return null;
    }
    if (sequence == null) {
      return null;
    }
    Long last = highest.get(sequence.publisher());
    if (last != null && sequence.number() <= last) {
      return null;
    }
    highest.put(sequence.publisher(), sequence.number());
    if (last == null || sequence.number() == last + 1) {
      return null;
    }
    return new MessagesLostException(sequence.publisher(), last + 1, sequence.number() - 1);
  }
}
