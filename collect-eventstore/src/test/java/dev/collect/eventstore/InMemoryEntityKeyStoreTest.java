package dev.collect.eventstore;

/** {@link EntityKeyStore#inMemory()}: not durable, so the reopen checks do not apply. */
class InMemoryEntityKeyStoreTest extends EntityKeyStoreContract {

  @Override
  protected EntityKeyStore newKeyStore() {
    return EntityKeyStore.inMemory();
  }

  @Override
  protected EntityKeyStore reopen() {
    return null;
  }
}
