package dev.collect.eventstore.internal;

import java.time.Duration;

/** A backend that can wait for appends, so subscriptions need not poll. */
public interface NotifyingStore {
  /** Returns once the head passes {@code position}, or after {@code timeout}. */
  void awaitAppend(long position, Duration timeout) throws InterruptedException;
}
