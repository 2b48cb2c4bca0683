package dev.collect.cdc;

/**
 * How much of the row before the change the database reported, decided per record from what the
 * record carries (never from the table's current settings, which a replayed backlog may predate).
 * Collect never invents a before image: columns the database did not send are absent from {@link
 * ChangeEvent#before()}, never null.
 */
public enum BeforeImage {
  /**
   * Every column's old value: PostgreSQL tables with {@code REPLICA IDENTITY FULL}, MySQL/MariaDB
   * with {@code binlog_row_image=FULL}.
   */
  FULL,
  /**
   * No old values at all (an update under PostgreSQL's default replica identity); {@link
   * ChangeEvent#before()} is null and {@link ChangeEvent#changedFields()} is unknown.
   */
  NONE,
  /**
   * The record does not say how complete the old row is: only the key columns carry values, the
   * others came as null (or, for NOT NULL columns, an empty string, zero or false), which is what a
   * key-only old row looks like once Debezium has filled it in (PostgreSQL's default replica
   * identity on a delete, MySQL's minimal row image) and also a full one whose other columns hold
   * just those values. {@link ChangeEvent#before()} holds just the key columns and {@link
   * ChangeEvent#changedFields()} is unknown.
   */
  UNKNOWN,
  /**
   * The operation has no before image by nature: create, snapshot read, truncate, schema change.
   */
  NOT_APPLICABLE
}
