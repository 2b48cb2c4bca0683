package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;
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

/**
 * The contract every {@link CheckpointStore} passes. Subclass it, return a fresh store from {@link
 * #newStore()} and, where the store is durable, a second instance over the same storage from {@link
 * #reopen()}. Shipped in core's test jar for the stores of other modules.
 */
public abstract class CheckpointStoreContract {

  protected CheckpointStore store;

  /** A new, empty store. */
  protected abstract CheckpointStore newStore() throws Exception;

  /** A new instance over the same storage as the last {@link #newStore()}, or null if none. */
  protected abstract CheckpointStore reopen() throws Exception;

  @BeforeEach
  void createStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void absentKeyLoadsEmpty() {
    assertThat(store.load("nothing-here")).isEmpty();
  }

  @Test
  void loadsTheLastSavedValue() {
    store.save("orders", "1");
    store.save("orders", "2");
    store.save("users", "x");

    assertThat(store.load("orders")).contains("2");
    assertThat(store.load("users")).contains("x");
  }

  @Test
  void deleteForgetsTheKeyAndIgnoresAbsentOnes() {
    store.save("orders", "1");

    store.delete("orders");
    store.delete("never-saved");

    assertThat(store.load("orders")).isEmpty();
  }

  @Test
  void keepsValuesVerbatim() {
    String value = "{\"lsn\": 123, \"file\": \"a b/ü.json\"}\nsecond line";

    store.save("weird/key with spaces:ü", value);

    assertThat(store.load("weird/key with spaces:ü")).contains(value);
  }

  @Test
  void keysUpToTheLimitWorkWhateverTheirCharacters() {
    String ascii = "k".repeat(200);
    String multiByte = "ü".repeat(199) + "x"; // 399 bytes of UTF-8
    String sibling = "k".repeat(199) + "j";

    store.save(ascii, "1");
    store.save(multiByte, "2");
    store.save(sibling, "3");

    assertThat(store.load(ascii)).contains("1");
    assertThat(store.load(multiByte)).contains("2");
    assertThat(store.load(sibling)).contains("3");
    store.delete(ascii);
    assertThat(store.load(ascii)).isEmpty();
    assertThat(store.load(sibling)).contains("3");
  }

  @Test
  void rejectsBadKeys() {
    assertThatThrownBy(() -> store.save("", "v")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.save("k".repeat(201), "v"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.load(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void valuesSurviveAReopen() throws Exception {
    store.save("orders", "42");

    CheckpointStore again = reopen();
    if (again == null) {
      return; // not durable by design
    }
    try {
      assertThat(again.load("orders")).contains("42");
    } finally {
      again.close();
    }
  }

  @Test
  void concurrentSavesLeaveOneOfTheWrittenValues() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                for (int i = 0; i < 25; i++) {
                  store.save("shared", thread + ":" + i);
                }
              }));
    }
    for (Future<?> f : futures) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();

    assertThat(store.load("shared")).get().asString().matches("[0-3]:24");
  }
}
