package dev.collect.core;

/**
 * The root of Collect's exceptions. Unchecked: most failures are routed by the runtime (retried or
 * dead-lettered), not caught by callers. {@link RetriableCollectException} marks transient ones.
 */
public class CollectException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CollectException(String message) {
    super(message);
  }

  public CollectException(String message, Throwable cause) {
    super(message, cause);
  }
}
