package dev.collect.cdc.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Where a MySQL/MariaDB capture may resume once a record is settled. Debezium's binlog offset is a
 * file and position plus, inside an event or transaction, rows ({@code row}) and events ({@code
 * event}) to skip from there. On MariaDB, Debezium 3.6's MySQL connector does not see MariaDB's
 * GTID event as a transaction's start: the position is the end of the row's binlog event and a
 * restart would skip rows of the <em>next</em> event. So an offset with skip counts is committed
 * only for the last row of its event (the next record is at another position), without the counts:
 * a restart resumes after that event (MariaDB) or replays the transaction from its start (MySQL,
 * whose position inside a transaction is the transaction's start) and never skips a row. Under a
 * continuous load every completed event can be committed, so the offset keeps moving.
 */
final class BinlogResume {
  /** Marks a record whose offset must not be committed on its own. */
  static final Map<String, Object> NOT_RESUMABLE = Map.of();

  private static final String FILE = "file";
  private static final String POSITION = "pos";
  private static final String ROWS_TO_SKIP = "row";
  private static final String EVENTS_TO_SKIP = "event";

  private BinlogResume() {}

  /**
   * The offset to commit for {@code record}: null for its own (no skip counts), {@link
   * #NOT_RESUMABLE} inside an event, or its offset without skip counts after an event's last row.
   *
   * @param next the record the engine delivered right after it, or null if not known yet
   */
  static Map<String, Object> offset(SourceRecord record, SourceRecord next) {
    Map<String, ?> offset = record.sourceOffset();
    if (offset == null
        || !(offset.containsKey(ROWS_TO_SKIP) || offset.containsKey(EVENTS_TO_SKIP))) {
      return null;
    }
    Map<String, ?> following = next == null ? null : next.sourceOffset();
    if (following == null
        || (Objects.equals(offset.get(FILE), following.get(FILE))
            && Objects.equals(offset.get(POSITION), following.get(POSITION)))) {
      return NOT_RESUMABLE;
    }
    Map<String, Object> out = new HashMap<>(offset);
    out.remove(ROWS_TO_SKIP);
    out.remove(EVENTS_TO_SKIP);
    return out;
  }
}
