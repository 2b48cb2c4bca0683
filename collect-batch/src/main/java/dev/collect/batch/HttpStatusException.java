package dev.collect.batch;

import dev.collect.core.CollectException;

/**
 * An HTTP API answered with a status that retrying does not fix (a 4xx other than 429, such as 401
 * or 404), so the {@link Http#source HTTP source} fails the run at once. The message names the
 * status, the method and the URI; the URI carries no user info and hides every query value except
 * the pagination parameters, and header values (credentials) are never included.
 */
public final class HttpStatusException extends CollectException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String uri;

  /**
   * @param status the HTTP status
   * @param uri the request's URI, already stripped of credentials and query secrets
   */
  public HttpStatusException(int status, String uri) {
    super(
        "HTTP "
            + status
            + " from GET "
            + uri
            + ": not retried, as a client error is not fixed by retrying; check the URI and the"
            + " credentials");
    this.status = status;
    this.uri = uri;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The URI without user info and with query values other than pagination hidden. */
  public String uri() {
    return uri;
  }
}
