package dev.collect.core;

import java.util.Map;

/**
 * Thrown by a sink that wrote a batch except some records it rejected: those are dead-lettered, the
 * rest count as written.
 */
public class RecordsRejectedException extends CollectException {
  private static final long serialVersionUID = 1L;

  private final transient Map<Integer, Throwable> rejected;

  /**
   * @param rejected the indexes in the batch of the rejected records, each with its reason
   */
  public RecordsRejectedException(Map<Integer, Throwable> rejected) {
    super(rejected.size() + " record(s) of the batch were rejected");
    this.rejected = Map.copyOf(rejected);
  }

  /** Index in the batch to the reason that record was rejected. */
  public Map<Integer, Throwable> rejected() {
    return rejected;
  }
}
