package dev.collect.eventstore.internal;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Random version-4 UUIDs for default event ids, fast under concurrent appenders. {@link
 * UUID#randomUUID()} draws every id from one shared {@code SecureRandom}, whose lock and cost (~0.4
 * µs an id) bounded the appends of batches of 100 more than the fsync did. Here each thread has its
 * own L128X256MixRandom generator (384 bits of state, period over 2^384) seeded once from {@code
 * SecureRandom}; ids need to be unique, not unpredictable, and two threads or processes share a
 * stream only if their 384-bit seeds collide.
 */
public final class RandomIds {
  private static final SecureRandom SEEDS = new SecureRandom();
  private static final RandomGeneratorFactory<RandomGenerator> FACTORY =
      RandomGeneratorFactory.of("L128X256MixRandom");
  private static final ThreadLocal<RandomGenerator> GENERATORS =
      ThreadLocal.withInitial(RandomIds::seeded);

  private RandomIds() {}

  private static RandomGenerator seeded() {
    byte[] seed = new byte[48];
    synchronized (SEEDS) {
      SEEDS.nextBytes(seed);
    }
    return FACTORY.create(seed);
  }

  /** A new random UUID (version 4, IETF variant) as its usual 36-character string. */
  public static String uuid() {
    RandomGenerator random = GENERATORS.get();
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }
}
