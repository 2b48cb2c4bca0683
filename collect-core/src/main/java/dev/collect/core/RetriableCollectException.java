package dev.collect.core;

/**
 * A failure that may go away if the same thing is tried again later: a timeout, a connection reset,
 * an HTTP 429 or 5xx. The default {@link ErrorClassifier} retries it.
 */
public class RetriableCollectException extends CollectException {
  private static final long serialVersionUID = 1L;

  public RetriableCollectException(String message) {
    super(message);
  }

  public RetriableCollectException(String message, Throwable cause) {
    super(message, cause);
  }
}
