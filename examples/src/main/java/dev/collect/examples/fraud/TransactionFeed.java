package dev.collect.examples.fraud;

import dev.collect.core.Envelope;
import dev.collect.core.Position;
import dev.collect.core.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A simulated real-time feed: transactions become available at a steady rate, each stamped with the
 * moment it "arrived", so that end-to-end latency is measured from arrival to written.
 */
final class TransactionFeed implements Source<Transaction> {
  private final int total;
  private final int perSecond;
  private final SplittableRandom random = new SplittableRandom(3);
  private long started;
  private int next;

  TransactionFeed(int total, int perSecond) {
    this.total = total;
    this.perSecond = perSecond;
  }

  @Override
  public String name() {
    return "transactions";
  }

  @Override
  public List<Envelope<Transaction>> poll(int maxRecords, Duration timeout)
      throws InterruptedException {
    if (started == 0) {
      started = System.nanoTime();
    }
    long due = Math.min(total, (System.nanoTime() - started) * perSecond / 1_000_000_000L);
    if (due <= next) {
      Thread.sleep(Math.min(timeout.toMillis(), 5));
      return List.of();
    }
    List<Envelope<Transaction>> batch = new ArrayList<>();
    Instant now = Instant.now();
    for (; next < due && batch.size() < maxRecords; next++) {
      Transaction t =
          new Transaction(
              "tx" + next,
              "card" + random.nextInt(5_000),
              1 + random.nextInt(50_000),
              "m" + random.nextInt(300));
      batch.add(
          Envelope.builder(t)
              .key(t.card())
              .position(Position.sequence(next))
              .ingestTime(now)
              .build());
    }
    return batch;
  }

  @Override
  public boolean isFinished() {
    return next >= total;
  }
}
