package dev.collect.cdc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.cdc.CdcPosition;
import dev.collect.cdc.CdcSourceConfig;
import dev.collect.cdc.ChangeEvent;
import dev.collect.cdc.ChangeEventJson;
import dev.collect.cdc.TableId;
import dev.collect.core.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Wraps change events in envelopes: key (table, or table and row key), commit time as event time,
 * {@code cdc.*} headers and a {@link CdcPosition}. No raw bytes: a dead letter carries the event as
 * JSON, written by the runtime only when a record fails; a record that could not be mapped carries
 * its Debezium value as JSON. Used from the reader thread only.
 */
final class ChangeEnvelopes {
  private static final ObjectMapper JSON = ChangeEventJson.mapper();
  private final CdcSourceConfig config;
  // Each table's name, computed once.
  private final Map<TableId, String> tableNames = new HashMap<>();
  private Instant lastCommitTime;
  private String lastCommitTimeText;

  ChangeEnvelopes(CdcSourceConfig config) {
    this.config = config;
  }

  /** The envelope of {@code event}, read from {@code record}, at sequence {@code seq}. */
  Envelope<ChangeEvent> of(ChangeEvent event, SourceRecord record, long seq) {
    String tableName = tableNames.computeIfAbsent(event.table(), String::valueOf);
    Instant commitTime = event.source().commitTime();
    if (commitTime != null && !commitTime.equals(lastCommitTime)) {
      // A transaction's rows share one commit time: format it once, not per row.
      lastCommitTime = commitTime;
      lastCommitTimeText = commitTime.toString();
    }
    Map<String, String> headers =
        new ChangeHeaders(event, tableName, commitTime == null ? null : lastCommitTimeText);
    Object key =
        config.ordering() == CdcSourceConfig.Ordering.TABLE
            ? tableName
            : List.of(tableName, event.key());
    return Envelope.builder(event)
        .key(key)
        .eventTime(event.source().commitTime())
        .headers(headers)
        .source(config.name())
        .position(new CdcPosition(seq, offsetOf(record)))
        .build();
  }

  /** An envelope for a record that could not be mapped: it goes to the dead letters. */
  Envelope<ChangeEvent> failed(SourceRecord record, RuntimeException error, long seq) {
    return Envelope.<ChangeEvent>builder(null)
        .source(config.name())
        .position(new CdcPosition(seq, offsetOf(record)))
        .headers(Map.of("cdc.topic", String.valueOf(record.topic())))
        .raw(valueAsJson(record))
        .failure(
            new dev.collect.core.MalformedRecordException(
                "cannot map Debezium record: " + error.getMessage(), error))
        .build();
  }

  /**
   * The record's Debezium value as JSON (structs as objects, bytes as base64), so that nothing of
   * it is lost in the dead letter; its text form if it cannot be written as JSON.
   */
  private static byte[] valueAsJson(SourceRecord record) {
    try {
      return JSON.writeValueAsBytes(StructValues.plain(record.value()));
    } catch (JsonProcessingException | RuntimeException e) {
      return String.valueOf(record.value()).getBytes(StandardCharsets.UTF_8);
    }
  }

  private static Map<String, Object> offsetOf(SourceRecord record) {
    Map<String, ?> offset = record.sourceOffset();
    if (offset == null || offset.isEmpty()) {
      return Map.of();
    }
    boolean hasNull = false;
    for (Object v : offset.values()) {
      hasNull |= v == null;
    }
    if (!hasNull) {
      @SuppressWarnings("unchecked")
      Map<String, Object> plain = (Map<String, Object>) offset;
      // Debezium builds a fresh offset map per record and never changes it afterwards.
      return OwnedMap.own(plain);
    }
    Map<String, Object> out = new HashMap<>(offset.size() * 2);
    offset.forEach(
        (k, v) -> {
          if (v != null) {
            out.put(k, v);
          }
        });
    return OwnedMap.own(out);
  }
}
