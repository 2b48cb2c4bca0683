package dev.collect.cdc;

/**
 * How much of the row before the change the database reported. Collect never invents a before
 * image: when the database did not send the old values, {@link ChangeEvent#before()} says so.
 */
public enum BeforeImage {
  /**
   * Every column's old value: PostgreSQL tables with {@code REPLICA IDENTITY FULL}, MySQL/MariaDB
   * with {@code binlog_row_image=FULL}.
   */
  FULL,
  /**
   * Only the old key columns (PostgreSQL's default replica identity on a delete, or an update that
   * changed the key); {@link ChangeEvent#before()} holds just those columns.
   */
  KEY_ONLY,
  /**
   * No old values at all (an update under PostgreSQL's default replica identity); {@link
   * ChangeEvent#before()} is null and {@link ChangeEvent#changedFields()} is unknown.
   */
  NONE,
  /**
   * The operation has no before image by nature: create, snapshot read, truncate, schema change.
   */
  NOT_APPLICABLE
}
