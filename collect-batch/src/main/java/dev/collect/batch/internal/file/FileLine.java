package dev.collect.batch.internal.file;

import dev.collect.core.Position;
import java.util.Map;

/**
 * A line of a file: its path, 1-based line number, the file's fingerprint and whether it is the
 * file's last line (whose commit marks the file done).
 */
record FileLine(String file, long line, String fingerprint, boolean lastOfFile)
    implements Position {
  @Override
  public Map<String, Object> describe() {
    return Map.of("file", file, "line", line);
  }
}
