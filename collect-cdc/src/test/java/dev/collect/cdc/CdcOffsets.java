package dev.collect.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;

/** Reads the Debezium offsets collect-cdc keeps as one checkpoint value (test support). */
final class CdcOffsets {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CdcOffsets() {}

  /** The decoded offset maps of a checkpoint value, one per source partition. */
  static java.util.List<JsonNode> decode(String value) throws Exception {
    java.util.List<JsonNode> out = new java.util.ArrayList<>();
    if (value == null) {
      return out;
    }
    for (JsonNode encoded : JSON.readTree(value)) {
      out.add(JSON.readTree(Base64.getDecoder().decode(encoded.asText())));
    }
    return out;
  }

  /**
   * PostgreSQL: where a restart resumes, {@code lsn_proc} of a change's offset or {@code lsn} of a
   * heartbeat's. Every change before it was settled; the change at it may be delivered again.
   */
  static long resumeLsn(String value) throws Exception {
    long lsn = 0;
    for (JsonNode offset : decode(value)) {
      lsn = Math.max(lsn, offset.path("lsn_proc").asLong(offset.path("lsn").asLong()));
    }
    return lsn;
  }

  /**
   * MySQL/MariaDB: the committed binlog position as {@code file:position}, with the position
   * zero-padded so that later positions compare greater as strings; empty if none.
   */
  static String binlogPosition(String value) throws Exception {
    String out = "";
    for (JsonNode offset : decode(value)) {
      String pos =
          String.format("%s:%015d", offset.path("file").asText(), offset.path("pos").asLong());
      out = pos.compareTo(out) > 0 ? pos : out;
    }
    return out;
  }

  /**
   * MySQL/MariaDB: a binlog position ({@code mysql-bin.000012}, 4711) as one number that orders
   * like the position: the file's sequence number in the high bits, the offset in the low 40.
   */
  static long binlogOrdinal(String file, long pos) {
    long sequence = Long.parseLong(file.substring(file.lastIndexOf('.') + 1));
    return (sequence << 40) | pos;
  }

  /**
   * MySQL/MariaDB: the committed binlog position of a checkpoint value as an ordinal; 0 if none.
   */
  static long binlogOrdinal(String value) throws Exception {
    long out = 0;
    for (JsonNode offset : decode(value)) {
      out = Math.max(out, binlogOrdinal(offset.path("file").asText(), offset.path("pos").asLong()));
    }
    return out;
  }
}
