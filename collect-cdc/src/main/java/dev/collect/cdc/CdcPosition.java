package dev.collect.cdc;

import dev.collect.cdc.internal.OwnedMap;
import dev.collect.core.Position;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The position of a change event: its sequence number within this run of the source, and the
 * Debezium source offset (LSN, or binlog file and position) it resumes from. Immutable.
 *
 * @param sequence position of the event among those this source delivered in this run, from 1
 * @param offset the connector's source offset fields (e.g. {@code lsn}, {@code txId}, {@code file},
 *     {@code pos}); empty for events Collect derives itself
 */
public record CdcPosition(long sequence, Map<String, Object> offset) implements Position {
  public CdcPosition {
    // A map the source built for this position alone is kept as it is; any other is copied.
    offset = offset instanceof OwnedMap ? offset : Map.copyOf(offset);
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("sequence", sequence);
    out.putAll(offset);
    return out;
  }
}
