package dev.collect.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.collect.core.Collector;
import dev.collect.core.DeadLetter;
import dev.collect.core.DeadLetterSink;
import dev.collect.core.MalformedRecordException;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import dev.collect.core.Stage;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** CDC into JSON Lines: a poison row goes to the dead letters with its change metadata. */
@Timeout(120)
class CdcToJsonLinesIT {
  private static Pg pg;

  /** What the pipeline writes: one line per payment change. */
  record Payment(int id, long cents, String operation, long lsn) {}

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = Pg.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    pg.close();
  }

  /** Maps row changes to payments; an amount that is not a number fails the record. */
  static final Collector<ChangeEvent, Payment> TO_PAYMENT =
      (input, output) -> {
        ChangeEvent event = input.value();
        if (event.operation() == Operation.SCHEMA_CHANGE) {
          return; // not a payment: filtered on purpose
        }
        Object amount = event.after().get("amount");
        output.emit(
            new Payment(
                (Integer) event.after().get("id"),
                Long.parseLong(String.valueOf(amount)),
                event.operation().name(),
                event.source().lsn()));
      };

  @Test
  void poisonRowIsDeadLetteredWithItsChangeMetadataWhileTheStreamContinues(@TempDir Path dir)
      throws Exception {
    String table = Pg.unique("payments");
    pg.exec(
        "CREATE TABLE " + table + " (id INT PRIMARY KEY, amount TEXT)",
        "ALTER TABLE " + table + " REPLICA IDENTITY FULL");
    Path out = dir.resolve("payments.jsonl");
    Path dead = dir.resolve("dead-letters.jsonl");
    Pipeline pipeline =
        Pipeline.from(
                Cdc.source(
                    pg.config(Pg.unique("cdc"), table)
                        .snapshotMode(SnapshotMode.NO_DATA)
                        .dropSlotOnStop(true)
                        .build()))
            .collect("to-payment", TO_PAYMENT)
            .to(Sink.jsonLines(out))
            .deadLetters(DeadLetterSink.jsonLines(dead))
            .name("payments")
            .commitInterval(Duration.ofMillis(200))
            .build();
    pipeline.start();
    PostgresCdcIT.awaitReady(pipeline);

    pg.exec(
        "INSERT INTO " + table + " VALUES (1, '100'), (2, '200')",
        "INSERT INTO " + table + " VALUES (3, 'twelve euros')",
        "INSERT INTO " + table + " VALUES (4, '400')",
        "UPDATE " + table + " SET amount = '150' WHERE id = 1");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (lines(out).size() < 4) {
      assertThat(pipeline.isLive()).as("pipeline failed: " + pipeline.report().failure()).isTrue();
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(50);
    }
    RunReport report = pipeline.stop(Duration.ofSeconds(30));

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.deadLettered()).isEqualTo(1);
    List<JsonNode> written = lines(out);
    assertThat(written).extracting(n -> n.get("id").asInt()).containsExactly(1, 2, 4, 1);
    assertThat(written)
        .extracting(n -> n.get("cents").asLong())
        .containsExactly(100L, 200L, 400L, 150L);
    assertThat(written.get(3).get("operation").asText()).isEqualTo("UPDATE");

    List<JsonNode> letters = lines(dead);
    assertThat(letters).hasSize(1);
    JsonNode letter = letters.get(0);
    assertThat(letter.get("stage").asText()).isEqualTo(Stage.COLLECT.name());
    assertThat(letter.get("component").asText()).isEqualTo("to-payment");
    assertThat(letter.get("errorClass").asText()).isEqualTo(NumberFormatException.class.getName());
    assertThat(letter.get("source").asText()).startsWith("cdc_");
    assertThat(letter.get("position").get("lsn").asLong()).isPositive();
    assertThat(letter.get("position").get("sequence").asLong()).isPositive();
    assertThat(letter.get("headers").get("cdc.operation").asText()).isEqualTo("CREATE");
    assertThat(letter.get("headers").get("cdc.table").asText()).isEqualTo("public." + table);
    assertThat(letter.get("headers").get("cdc.transaction.id").asText()).isNotBlank();
    assertThat(letter.get("eventTime").isNull()).isFalse();
    ChangeEvent payload = ChangeEventJson.fromJson(letter.get("payload").asText());
    assertThat(payload.operation()).isEqualTo(Operation.CREATE);
    assertThat(payload.after()).isEqualTo(Map.of("id", 3, "amount", "twelve euros"));
    assertThat(payload.source().lsn()).isEqualTo(letter.get("position").get("lsn").asLong());
  }

  /**
   * A logical decoding message ({@code pg_logical_emit_message}) reaches Debezium as a record of
   * its own that is no change of a row: Collect cannot map it, and dead-letters it at stage {@code
   * source} with Debezium's value, while the rows around it flow on.
   */
  @Test
  void aRecordThatCannotBeMappedIsDeadLetteredAtStageSourceWithItsDebeziumValue() throws Exception {
    String table = Pg.unique("audited");
    pg.exec("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
    TestSink<ChangeEvent> sink = new TestSink<>();
    TestDeadLetterSink dead = new TestDeadLetterSink();
    String name = Pg.unique("cdc");
    Pipeline pipeline =
        Pipeline.from(
                Cdc.source(
                    pg.config(name, table)
                        .snapshotMode(SnapshotMode.NO_DATA)
                        .dropSlotOnStop(true)
                        .build()))
            .to(sink)
            .deadLetters(dead)
            .commitInterval(Duration.ofMillis(200))
            .build();
    pipeline.start();
    PostgresCdcIT.awaitReady(pipeline);

    pg.tx(
        "INSERT INTO " + table + " VALUES (1)",
        "SELECT pg_logical_emit_message(true, 'collect-audit', 'closing day 2026-01-02')",
        "INSERT INTO " + table + " VALUES (2)");
    PostgresCdcIT.await(
        pipeline,
        sink,
        table,
        l -> l.stream().filter(e -> e.operation() == Operation.CREATE).count() == 2);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (dead.size() == 0) {
      assertThat(System.nanoTime()).as("waiting for the dead letter").isLessThan(deadline);
      Thread.sleep(20);
    }
    RunReport report = pipeline.stop(Duration.ofSeconds(30));

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.deadLettered()).isEqualTo(1);
    assertThat(PostgresCdcIT.of(sink, table))
        .filteredOn(e -> e.operation() == Operation.CREATE)
        .extracting(e -> e.after().get("id"))
        .containsExactly(1, 2);
    DeadLetter letter = dead.letters().get(0);
    assertThat(letter.stage()).isEqualTo(Stage.SOURCE);
    assertThat(letter.source()).isEqualTo(name);
    assertThat(letter.errorClass()).isEqualTo(MalformedRecordException.class.getName());
    System.out.println("dead letter payload: " + letter.payloadEncoding() + " " + letter.payload());
    assertThat(letter.payloadEncoding()).isEqualTo("utf8");
    JsonNode value = JSON.readTree(letter.payload());
    assertThat(value.get("op").asText()).isEqualTo("m");
    assertThat(value.get("message").get("prefix").asText()).isEqualTo("collect-audit");
    assertThat(
            new String(
                Base64.getDecoder().decode(value.get("message").get("content").asText()),
                StandardCharsets.UTF_8))
        .isEqualTo("closing day 2026-01-02");
    assertThat(value.get("source").get("lsn").asLong()).isPositive();
  }

  private static List<JsonNode> lines(Path file) throws Exception {
    if (!Files.exists(file)) {
      return List.of();
    }
    String text = Files.readString(file);
    int end = text.lastIndexOf('\n');
    if (end < 0) {
      return List.of();
    }
    return text.substring(0, end).lines().map(CdcToJsonLinesIT::parse).toList();
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = ChangeEventJson.mapper();

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
