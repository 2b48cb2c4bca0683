package dev.collect.examples.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.collect.core.Violation;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The workload's dead-letter line: {@code {"line_no":60,"reason":"malformed_json","raw":"..."}}.
 */
@JsonPropertyOrder({"line_no", "reason", "raw"})
public record DeadLetterLine(
    @JsonProperty("line_no") long lineNo,
    @JsonProperty("reason") String reason,
    @JsonProperty("raw") String raw) {

  static final String MALFORMED = "malformed_json";

  /**
   * {@code invalid: } and the violations as {@code <path> <message>}, sorted, joined by {@code ; }.
   */
  static String invalid(List<Violation> violations) {
    return "invalid: "
        + violations.stream().map(Violation::describe).sorted().collect(Collectors.joining("; "));
  }
}
