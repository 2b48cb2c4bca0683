package dev.collect.core;

class InMemoryCheckpointStoreTest extends CheckpointStoreContract {

  @Override
  protected CheckpointStore newStore() {
    return CheckpointStore.inMemory();
  }

  @Override
  protected CheckpointStore reopen() {
    return null;
  }
}
