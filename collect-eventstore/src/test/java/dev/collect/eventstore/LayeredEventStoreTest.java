package dev.collect.eventstore;

import org.junit.jupiter.api.Nested;

/**
 * The stores that wrap another one ({@link EventStore#withCryptoShredding}, {@link
 * EventStore#withUpcasters}) keep every promise of the contract.
 */
class LayeredEventStoreTest {

  @Nested
  class CryptoShredding extends EventStoreContract {
    @Override
    protected EventStore newStore() {
      return EventStore.inMemory().withCryptoShredding(EntityKeyStore.inMemory());
    }
  }

  @Nested
  class Upcasting extends EventStoreContract {
    @Override
    protected EventStore newStore() {
      return EventStore.inMemory().withUpcasters(Upcasters.none());
    }
  }
}
