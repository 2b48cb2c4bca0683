package dev.collect.eventstore.internal;

import java.util.function.LongPredicate;

/**
 * Where each event id of the log is, for idempotent appends, as a 64-bit hash of the id and the
 * event's position in two primitive arrays (open addressing, linear probing): about 27 bytes an
 * event instead of a map of strings and objects. A hash says only "maybe": a lookup confirms each
 * candidate by reading the event back from the log, which happens only for retried appends (and for
 * the rare ids whose hashes collide). Not thread-safe: the writer thread owns it.
 */
final class EventIdIndex {
  private static final int MAX_LOAD_PERCENT = 60;

  private long[] hashes = new long[1 << 10];
  private long[] positions = new long[1 << 10];
  private int size;

  /** Records that the event at {@code position} has the id {@code eventId}. */
  void add(String eventId, long position) {
    add(hash(eventId), position);
  }

  /** {@link #add(String, long)} with the id's {@link #hash}. */
  void add(long hash, long position) {
    if ((size + 1) * 100L > (long) hashes.length * MAX_LOAD_PERCENT) {
      grow();
    }
    insert(hash, position);
    size++;
  }

  /**
   * The first position whose event may have {@code eventId} and that {@code confirm} accepts (it
   * reads the event and compares ids), or -1.
   */
  long find(String eventId, LongPredicate confirm) {
    return find(hash(eventId), confirm);
  }

  /** {@link #find(String, LongPredicate)} with the id's {@link #hash}. */
  long find(long h, LongPredicate confirm) {
    int mask = hashes.length - 1;
    for (int i = slot(h, mask); hashes[i] != 0; i = (i + 1) & mask) {
      if (hashes[i] == h && confirm.test(positions[i])) {
        return positions[i];
      }
    }
    return -1;
  }

  int size() {
    return size;
  }

  private void insert(long h, long position) {
    int mask = hashes.length - 1;
    int i = slot(h, mask);
    while (hashes[i] != 0) {
      i = (i + 1) & mask;
    }
    hashes[i] = h;
    positions[i] = position;
  }

  private void grow() {
    long[] oldHashes = hashes;
    long[] oldPositions = positions;
    hashes = new long[oldHashes.length * 2];
    positions = new long[oldPositions.length * 2];
    for (int i = 0; i < oldHashes.length; i++) {
      if (oldHashes[i] != 0) {
        insert(oldHashes[i], oldPositions[i]);
      }
    }
  }

  private static int slot(long h, int mask) {
    return (int) (h ^ (h >>> 32)) & mask;
  }

  /** 64-bit FNV-1a over the id's chars, then a murmur3 finalizer; never 0 (0 marks a free slot). */
  static long hash(String id) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < id.length(); i++) {
      h = (h ^ id.charAt(i)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h == 0 ? 1 : h;
  }
}
