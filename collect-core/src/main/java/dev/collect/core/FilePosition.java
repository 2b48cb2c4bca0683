package dev.collect.core;

import java.util.Map;

/**
 * A line in a file: the file name, the 1-based line number, and the byte offset just after the
 * line, where reading resumes.
 */
public record FilePosition(String file, long line, long nextOffset) implements Position {
  @Override
  public Map<String, Object> describe() {
    return Map.of("file", file, "line", line, "offset", nextOffset);
  }
}
