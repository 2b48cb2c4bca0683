package dev.collect.cdc.internal;

import dev.collect.cdc.ChangeEvent;
import dev.collect.cdc.SourceInfo;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code cdc.*} headers of a change envelope, built from the event on first read. Most sinks
 * never read headers, so the reader thread does not format an LSN and fill a map for every change
 * (a measurable share of its CPU at bulk rates). Read-only; safe to read from any thread: racing
 * first reads build equal maps and either one is kept.
 */
final class ChangeHeaders extends AbstractMap<String, String> {
  private final ChangeEvent event;
  private final String tableName;
  private final String commitTimeText;
  private Map<String, String> built;

  /** {@code commitTimeText} is the event's commit time as text, formatted once per transaction. */
  ChangeHeaders(ChangeEvent event, String tableName, String commitTimeText) {
    this.event = event;
    this.tableName = tableName;
    this.commitTimeText = commitTimeText;
  }

  @Override
  public Set<Entry<String, String>> entrySet() {
    Map<String, String> map = built;
    if (map == null) {
      map = build();
      built = map;
    }
    return map.entrySet();
  }

  private Map<String, String> build() {
    Map<String, String> headers = new LinkedHashMap<>(12);
    headers.put("cdc.operation", event.operation().name());
    if (event.table() != null) {
      headers.put("cdc.table", tableName);
    }
    SourceInfo source = event.source();
    if (commitTimeText != null) {
      headers.put("cdc.commit.time", commitTimeText);
    }
    if (source.transactionId() != null) {
      headers.put("cdc.transaction.id", source.transactionId());
    }
    if (source.lsn() != null) {
      headers.put("cdc.lsn", source.lsn().toString());
    }
    if (source.binlogFile() != null) {
      headers.put("cdc.binlog.file", source.binlogFile());
      headers.put("cdc.binlog.position", String.valueOf(source.binlogPosition()));
    }
    return java.util.Collections.unmodifiableMap(headers);
  }
}
