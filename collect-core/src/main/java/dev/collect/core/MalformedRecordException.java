package dev.collect.core;

/**
 * A record that cannot be read: malformed JSON, invalid UTF-8, a wrong type, a missing column. Its
 * message never contains the record's content.
 */
public class MalformedRecordException extends CollectException {
  private static final long serialVersionUID = 1L;

  public MalformedRecordException(String message) {
    super(message);
  }

  public MalformedRecordException(String message, Throwable cause) {
    super(message, cause);
  }
}
