package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSource;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record a sink cannot write is dead-lettered at once, alone and with its exception; it is not
 * retried as a sink outage. Each pipeline has an outage budget of ten minutes and must finish
 * within a few seconds: a misclassified failure would block for the whole budget.
 */
class SinkRecordFailureTest {
  private static final Duration LONG_OUTAGE_BUDGET = Duration.ofMinutes(10);
  private static final Duration BOUND = Duration.ofSeconds(15);

  @TempDir Path dir;

  /** What a run left: its report and its dead letters. */
  record Outcome(RunReport report, List<DeadLetter> letters) {
    List<Object> deadSequences() {
      return letters.stream().map(l -> l.position().get("sequence")).toList();
    }
  }

  /** 200 records, 64 to a batch, over two workers, with a long outage budget and a time bound. */
  private static <T> Outcome run(List<T> values, Sink<T> sink) {
    TestDeadLetterSink dead = new TestDeadLetterSink();
    RunReport report =
        assertTimeoutPreemptively(
            BOUND,
            () ->
                Pipeline.from(TestSource.of(values).maxPerPoll(100))
                    .to(sink)
                    .deadLetters(dead)
                    .workers(2)
                    .batch(BatchPolicy.ofRecords(64))
                    .retry(RetryPolicy.builder().outageBudget(LONG_OUTAGE_BUDGET).build())
                    .build()
                    .run());
    assertThat(report.invariantHolds()).isTrue();
    return new Outcome(report, dead.letters());
  }

  private static List<Map<String, Object>> rows(int n) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", i);
      row.put("amount", String.valueOf(i * 3));
      row.put("at", "2026-12-01T00:00:00Z");
      rows.add(row);
    }
    return rows;
  }

  @Test
  void aTypeTheSinksMapperCannotWriteIsDeadLetteredAlone() throws Exception {
    // The user's own mapper lacks the JavaTime module: Jackson cannot write a LocalDate.
    List<Map<String, Object>> rows = rows(200);
    rows.get(77).put("day", LocalDate.of(2026, 12, 1));
    Path file = dir.resolve("out.jsonl");

    Outcome out =
        run(rows, Sink.<Map<String, Object>>jsonLines(file, Map.class, new ObjectMapper()));

    assertThat(out.deadSequences()).containsExactly(77L);
    assertThat(out.letters().get(0).errorClass())
        .isEqualTo(InvalidDefinitionException.class.getName());
    assertThat(out.letters().get(0).stage()).isEqualTo(Stage.SINK);
    assertThat(out.letters().get(0).reason()).isEqualTo("rejected");
    assertThat(out.letters().get(0).retryable()).isFalse();
    assertThat(out.report().written()).isEqualTo(199);
    assertThat(Files.readAllLines(file)).hasSize(199);
  }

  @Test
  void aJacksonFailureWrappedInUncheckedIoExceptionIsDeadLetteredAlone() {
    // A sink serialising in a lambda must wrap Jackson's checked exception: the wrapper is an
    // I/O type, the failure is still about the record.
    ObjectMapper mapper = new ObjectMapper();
    List<String> written = Collections.synchronizedList(new ArrayList<>());
    Sink<Map<String, Object>> sink =
        Sink.of(
            "lambda-json",
            batch ->
                written.addAll(
                    batch.stream()
                        .map(
                            e -> {
                              try {
                                return mapper.writeValueAsString(e.value());
                              } catch (JsonProcessingException x) {
                                throw new UncheckedIOException(x);
                              }
                            })
                        .toList()));
    List<Map<String, Object>> rows = rows(200);
    rows.get(3).put("day", LocalDate.of(2026, 12, 1));
    rows.get(150).put("day", LocalDate.of(2026, 12, 2));

    Outcome out = run(rows, sink);

    assertThat(out.deadSequences()).containsExactlyInAnyOrder(3L, 150L);
    assertThat(out.letters())
        .allSatisfy(
            l -> {
              assertThat(l.errorClass()).isEqualTo(UncheckedIOException.class.getName());
              assertThat(l.errorMessage()).contains(InvalidDefinitionException.class.getName());
            });
    assertThat(written).hasSize(198);
    assertThat(out.report().written()).isEqualTo(198);
  }

  /** The typed row a mapping sink converts each JSON text to. */
  record Order(int id, long amount) {}

  @Test
  void aMappingErrorIsDeadLetteredAlone() {
    ObjectMapper mapper = new ObjectMapper();
    List<Order> table = Collections.synchronizedList(new ArrayList<>());
    Sink<String> mapping =
        Sink.of(
            "mapping",
            batch -> {
              List<Order> orders = new ArrayList<>();
              for (Envelope<String> e : batch) {
                orders.add(mapper.readValue(e.value(), Order.class));
              }
              table.addAll(orders);
            });
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      texts.add(
          i == 120
              ? "{\"id\":120,\"amount\":\"a lot\"}"
              : "{\"id\":" + i + ",\"amount\":" + i * 3 + "}");
    }

    Outcome out = run(texts, mapping);

    assertThat(out.deadSequences()).containsExactly(120L);
    assertThat(out.letters().get(0).errorClass())
        .isEqualTo(com.fasterxml.jackson.databind.exc.InvalidFormatException.class.getName());
    assertThat(MismatchedInputException.class)
        .isAssignableFrom(com.fasterxml.jackson.databind.exc.InvalidFormatException.class);
    assertThat(out.letters().get(0).payload()).isEqualTo(texts.get(120));
    assertThat(table).hasSize(199);
  }

  @Test
  void aValueTheSinksOwnConversionRejectsIsDeadLetteredAlone() {
    // The sink converts fields itself: a number that is not one, a time that is not one.
    List<Object[]> table = Collections.synchronizedList(new ArrayList<>());
    Sink<Map<String, Object>> converting =
        Sink.of(
            "converting",
            batch -> {
              List<Object[]> converted = new ArrayList<>();
              for (Envelope<Map<String, Object>> e : batch) {
                Map<String, Object> row = e.value();
                converted.add(
                    new Object[] {
                      Long.parseLong((String) row.get("amount")),
                      Instant.parse((String) row.get("at"))
                    });
              }
              table.addAll(converted);
            });
    List<Map<String, Object>> rows = rows(200);
    rows.get(10).put("amount", "12,5");
    rows.get(190).put("at", "yesterday");

    Outcome out = run(rows, converting);

    assertThat(out.deadSequences()).containsExactlyInAnyOrder(10L, 190L);
    assertThat(out.letters())
        .extracting(DeadLetter::errorClass)
        .containsExactlyInAnyOrder(
            NumberFormatException.class.getName(), DateTimeParseException.class.getName());
    assertThat(table).hasSize(198);
    assertThat(out.report().written()).isEqualTo(198);
  }
}
