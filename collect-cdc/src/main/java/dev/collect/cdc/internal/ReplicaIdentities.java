package dev.collect.cdc.internal;

import dev.collect.cdc.BeforeImage;
import dev.collect.cdc.TableId;

/**
 * Tells how complete a table's before images are. PostgreSQL: from the table's replica identity;
 * MySQL/MariaDB: from the server's {@code binlog_row_image}.
 */
interface ReplicaIdentities {

  /** True when the database sends every old column value for updates and deletes of the table. */
  boolean fullBeforeImage(TableId table);

  /** The before image of an update or delete whose before struct is {@code present} or not. */
  default BeforeImage beforeImage(TableId table, boolean present) {
    if (!present) {
      return BeforeImage.NONE;
    }
    return fullBeforeImage(table) ? BeforeImage.FULL : BeforeImage.KEY_ONLY;
  }
}
