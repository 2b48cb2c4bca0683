package dev.collect.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link EntityKeyStore} has; one subclass per implementation. A durable store
 * returns from {@link #reopen()} a second instance over the same storage, as another process or a
 * restart would see it.
 */
@Timeout(60)
abstract class EntityKeyStoreContract {

  protected EntityKeyStore keys;
  private final List<EntityKeyStore> opened = new ArrayList<>();

  /** A new, empty key store. */
  protected abstract EntityKeyStore newKeyStore() throws Exception;

  /** A new instance over the storage of the last {@link #newKeyStore()}, or null if not durable. */
  protected abstract EntityKeyStore reopen() throws Exception;

  @BeforeEach
  void createKeyStore() throws Exception {
    keys = newKeyStore();
    opened.add(keys);
  }

  @AfterEach
  void closeKeyStores() {
    opened.forEach(EntityKeyStore::close);
  }

  private EntityKeyStore reopened() throws Exception {
    EntityKeyStore again = reopen();
    if (again != null) {
      opened.add(again);
    }
    return again;
  }

  @Test
  void keyForCreatesOne256BitKeyPerStreamAndReturnsItAgain() {
    byte[] alice = keys.keyFor("alice");
    byte[] bob = keys.keyFor("bob");

    assertThat(alice).hasSize(32);
    assertThat(bob).hasSize(32).isNotEqualTo(alice);
    assertThat(keys.keyFor("alice")).isEqualTo(alice);
    assertThat(keys.find("alice")).hasValueSatisfying(k -> assertThat(k).isEqualTo(alice));
  }

  @Test
  void findDoesNotCreateAKey() {
    assertThat(keys.find("never-used")).isEmpty();
    assertThat(keys.find("never-used")).isEmpty();
  }

  @Test
  void aCreatedKeySurvivesAReopen() throws Exception {
    byte[] alice = keys.keyFor("alice");

    EntityKeyStore again = reopened();
    if (again == null) {
      return; // not durable by design
    }

    assertThat(again.find("alice")).hasValueSatisfying(k -> assertThat(k).isEqualTo(alice));
    assertThat(again.keyFor("alice")).isEqualTo(alice);
  }

  @Test
  void aDestroyedKeyIsGoneForGoodAlsoAfterAReopen() throws Exception {
    keys.keyFor("alice");
    keys.keyFor("bob");

    keys.destroy("alice");

    assertThat(keys.find("alice")).isEmpty();
    assertThatThrownBy(() -> keys.keyFor("alice")).isInstanceOf(StreamErasedException.class);
    assertThat(keys.find("bob")).isPresent();
    EntityKeyStore again = reopened();
    if (again != null) {
      assertThat(again.find("alice")).isEmpty();
      assertThatThrownBy(() -> again.keyFor("alice")).isInstanceOf(StreamErasedException.class);
    }
  }

  @Test
  void destroyIsIdempotentAndWorksOnStreamsWithoutAKey() {
    keys.keyFor("alice");
    keys.destroy("alice");

    assertThatCode(() -> keys.destroy("alice")).doesNotThrowAnyException();
    assertThatCode(() -> keys.destroy("never-used")).doesNotThrowAnyException();
    assertThatThrownBy(() -> keys.keyFor("never-used")).isInstanceOf(StreamErasedException.class);
  }

  @Test
  void concurrentFirstUsesOfAStreamAgreeOnOneKey() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<byte[]>> results = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      results.add(pool.submit(() -> keys.keyFor("shared")));
    }
    List<byte[]> seen = new ArrayList<>();
    for (Future<byte[]> f : results) {
      seen.add(f.get(30, TimeUnit.SECONDS));
    }
    pool.shutdown();

    assertThat(seen).allSatisfy(k -> assertThat(k).isEqualTo(seen.get(0)));
    EntityKeyStore again = reopened();
    if (again != null) {
      assertThat(again.keyFor("shared")).isEqualTo(seen.get(0));
    }
  }
}
