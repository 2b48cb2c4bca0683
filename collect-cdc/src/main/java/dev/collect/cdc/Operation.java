package dev.collect.cdc;

/** What a {@link ChangeEvent} reports. */
public enum Operation {
  /** A row was inserted. */
  CREATE,
  /** A row was updated. */
  UPDATE,
  /** A row was deleted. */
  DELETE,
  /** A row as read by the initial (or an ad hoc) snapshot, not a change. */
  READ,
  /** A table was truncated; the event has no key and no images. */
  TRUNCATE,
  /** A table's columns changed; see {@link ChangeEvent#schemaChange()}. */
  SCHEMA_CHANGE
}
