package dev.collect.stream;

import dev.collect.core.CollectException;

/**
 * Messages of a publisher never arrived: the numbers {@link #firstLost()} to {@link #lastLost()}
 * are missing between two messages that did (see {@link PublisherSequence}). The MQTT source
 * dead-letters one record with this failure per gap, so the loss shows in the run report and the
 * dead letters; the usual cause is a broker queue limit (Mosquitto's {@code max_queued_messages}).
 */
public final class MessagesLostException extends CollectException {
  private static final long serialVersionUID = 1L;

  private final String publisher;
  private final long firstLost;
  private final long lastLost;

  public MessagesLostException(String publisher, long firstLost, long lastLost) {
    super(
        (lastLost - firstLost + 1)
            + " messages of publisher '"
            + publisher
            + "' never arrived (numbers "
            + firstLost
            + " to "
            + lastLost
            + "): the broker dropped them, e.g. over its queue limit for this client"
            + " (Mosquitto: max_queued_messages); raise the limit to cover the longest outage");
    this.publisher = publisher;
    this.firstLost = firstLost;
    this.lastLost = lastLost;
  }

  public String publisher() {
    return publisher;
  }

  public long firstLost() {
    return firstLost;
  }

  public long lastLost() {
    return lastLost;
  }

  /** How many messages are missing. */
  public long count() {
    return lastLost - firstLost + 1;
  }
}
