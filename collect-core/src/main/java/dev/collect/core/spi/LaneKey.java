package dev.collect.core.spi;

/**
 * A record key that chooses its own lane. The runtime sends a key that implements this interface to
 * worker {@code floorMod(lane(), workers)} instead of the worker its hash picks, so a source whose
 * keys are few and known in advance (Kafka partitions, shards) can spread them evenly over the
 * workers, where hashing a handful of keys may leave a worker idle.
 *
 * <p>Contract: equal keys return equal lanes (per-key order relies on it), and {@code lane()} is
 * cheap and never changes for a key. Implementations are immutable values with {@code equals} and
 * {@code hashCode}.
 */
public interface LaneKey {
  /** The lane, any int; the runtime reduces it modulo the number of workers. */
  int lane();
}
