package dev.collect.eventstore;

class InMemoryEventStoreTest extends EventStoreContract {
  @Override
  protected EventStore newStore() {
    return EventStore.inMemory();
  }
}
