package dev.collect.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BoundedHandOffTest {
  /** An item of {@code records} records and {@code bytes} bytes. */
  record Batch(String name, int records, long bytes) {}

  private static BoundedHandOff<Batch> handOff(int maxRecords, long maxBytes) {
    return BoundedHandOff.of(maxRecords, maxBytes, Batch::records, Batch::bytes);
  }

  @Test
  void boundsByRecordsAndByBytesAndKeepsOrder() throws Exception {
    BoundedHandOff<Batch> h = handOff(10, 100);

    assertThat(h.offer(new Batch("a", 6, 10), 0)).isTrue();
    assertThat(h.offer(new Batch("b", 5, 10), 0)).isFalse(); // 11 records
    assertThat(h.offer(new Batch("c", 4, 91), 0)).isFalse(); // 101 bytes
    assertThat(h.offer(new Batch("d", 4, 90), 0)).isTrue();

    assertThat(h.records()).isEqualTo(10);
    assertThat(h.bytes()).isEqualTo(100);
    assertThat(h.poll(0).name()).isEqualTo("a");
    assertThat(h.poll(0).name()).isEqualTo("d");
    assertThat(h.poll(0)).isNull();
    assertThat(h.records()).isZero();
  }

  @Test
  void anEmptyHandOffTakesAnItemHeavierThanTheBounds() throws Exception {
    BoundedHandOff<Batch> h = handOff(10, 100);

    assertThat(h.offer(new Batch("big", 50, 5_000), 0)).isTrue();

    assertThat(h.offer(new Batch("small", 1, 1), 0)).isFalse();
    assertThat(h.poll(1, Duration.ZERO)).extracting(Batch::name).containsExactly("big");
  }

  @Test
  void offerAllAddsAWholeGroupOrNothingAndNeverTakesOneHeavierThanTheBounds() {
    BoundedHandOff<Batch> h = handOff(3, Long.MAX_VALUE);

    assertThat(h.offerAll(List.of(new Batch("a", 1, 0), new Batch("b", 1, 0)))).isTrue();
    assertThat(h.offerAll(List.of(new Batch("c", 1, 0), new Batch("d", 1, 0)))).isFalse();
    assertThat(h.size()).isEqualTo(2);
    assertThat(handOff(3, 10).offerAll(List.of(new Batch("e", 4, 0)))).isFalse();
  }

  @Test
  void aWaitingProducerGoesOnWhenTheConsumerTakes() throws Exception {
    BoundedHandOff<Batch> h = handOff(1, Long.MAX_VALUE);
    h.offer(new Batch("first", 1, 0), 0);

    CompletableFuture<Boolean> second =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return h.offer(new Batch("second", 1, 0), Duration.ofMinutes(1));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Batch first = h.poll(TimeUnit.MINUTES.toNanos(1));

    assertThat(first.name()).isEqualTo("first");
    assertThat(second.get(1, TimeUnit.MINUTES)).isTrue();
    assertThat(h.poll(0).name()).isEqualTo("second");
  }

  @Test
  void aHeldItemKeepsItsRoomUntilReleased() throws Exception {
    BoundedHandOff<Batch> h = handOff(10, Long.MAX_VALUE);
    h.offer(new Batch("a", 8, 0), 0);

    Batch held = h.pollHeld(0);

    assertThat(h.isEmpty()).isTrue();
    assertThat(h.records()).isEqualTo(8);
    assertThat(h.offer(new Batch("b", 3, 0), 0)).isFalse();
    h.release(held);
    assertThat(h.offer(new Batch("b", 3, 0), 0)).isTrue();
  }

  @Test
  void anEndMarkerIsAddedWhateverTheBounds() throws Exception {
    BoundedHandOff<Batch> h = handOff(1, 1);
    h.offer(new Batch("a", 1, 1), 0);

    h.addUnbounded(new Batch("end", 1, 1));

    assertThat(h.poll(2, Duration.ZERO)).extracting(Batch::name).containsExactly("a", "end");
  }

  @Test
  void awaitEmptyReturnsOnceTheLastItemIsTaken() throws Exception {
    BoundedHandOff<Batch> h = BoundedHandOff.ofItems(5);
    h.offer(new Batch("a", 1, 0), 0);
    assertThat(h.awaitEmpty(Duration.ZERO)).isFalse();

    CompletableFuture<List<Batch>> taken =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return h.poll(5, Duration.ofMinutes(1));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });

    assertThat(h.awaitEmpty(Duration.ofMinutes(1))).isTrue();
    assertThat(taken.get(1, TimeUnit.MINUTES)).hasSize(1);
  }

  @Test
  void aWaitIsInterruptible() {
    BoundedHandOff<Batch> h = handOff(1, 1);
    Thread.currentThread().interrupt();

    assertThatThrownBy(() -> h.poll(TimeUnit.MINUTES.toNanos(1)))
        .isInstanceOf(InterruptedException.class);
    assertThatThrownBy(() -> handOff(0, 1)).hasMessage("maxRecords must be > 0, but was 0");
  }
}
