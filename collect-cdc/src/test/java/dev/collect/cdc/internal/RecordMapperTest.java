package dev.collect.cdc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.collect.cdc.BeforeImage;
import dev.collect.cdc.ChangeEvent;
import dev.collect.cdc.FieldChange;
import dev.collect.cdc.Operation;
import io.debezium.data.Envelope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** The mapping of Debezium's records, on records built by hand in Debezium's own envelope. */
class RecordMapperTest {
  private static final String PLACEHOLDER = DebeziumProperties.DEFAULT_UNAVAILABLE_PLACEHOLDER;

  private static final Schema ROW =
      SchemaBuilder.struct()
          .name("srv.public.docs.Value")
          .field("id", Schema.INT32_SCHEMA)
          .field("title", Schema.OPTIONAL_STRING_SCHEMA)
          .field("body", Schema.OPTIONAL_STRING_SCHEMA)
          .optional()
          .build();
  private static final Schema KEY =
      SchemaBuilder.struct().name("srv.public.docs.Key").field("id", Schema.INT32_SCHEMA).build();
  private static final Schema SOURCE =
      SchemaBuilder.struct()
          .name("io.debezium.connector.postgresql.Source")
          .field("connector", Schema.STRING_SCHEMA)
          .field("name", Schema.STRING_SCHEMA)
          .field("ts_ms", Schema.INT64_SCHEMA)
          .field("snapshot", Schema.OPTIONAL_STRING_SCHEMA)
          .field("db", Schema.STRING_SCHEMA)
          .field("schema", Schema.STRING_SCHEMA)
          .field("table", Schema.STRING_SCHEMA)
          .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
          .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
          .build();
  private static final Envelope ENVELOPE =
      Envelope.defineSchema()
          .withName("srv.public.docs.Envelope")
          .withRecord(ROW)
          .withSource(SOURCE)
          .build();

  private static Struct row(int id, String title, String body) {
    return new Struct(ROW).put("id", id).put("title", title).put("body", body);
  }

  private static Struct source(long lsn) {
    return new Struct(SOURCE)
        .put("connector", "postgresql")
        .put("name", "srv")
        .put("ts_ms", 1_700_000_000_000L)
        .put("snapshot", "false")
        .put("db", "shop")
        .put("schema", "public")
        .put("table", "docs")
        .put("txId", 77L)
        .put("lsn", lsn);
  }

  private static SourceRecord record(Struct value, int id) {
    return new SourceRecord(
        Map.of("server", "srv"),
        Map.of("lsn", 10L),
        "srv.public.docs",
        null,
        KEY,
        new Struct(KEY).put("id", id),
        ENVELOPE.schema(),
        value);
  }

  private static RecordMapper mapper() {
    return new RecordMapper(true, PLACEHOLDER);
  }

  private static List<ChangeEvent> map(RecordMapper mapper, SourceRecord record) {
    List<ChangeEvent> out = new ArrayList<>();
    mapper.mapData(record, out);
    return out;
  }

  @Test
  void updateWithFullBeforeImageReportsChangedFieldsOnly() {
    RecordMapper mapper = mapper();
    Struct value =
        ENVELOPE.update(row(1, "draft", "b"), row(1, "final", "b"), source(99), Instant.now());

    List<ChangeEvent> events = map(mapper, record(value, 1));

    assertThat(events)
        .extracting(ChangeEvent::operation)
        .containsExactly(Operation.SCHEMA_CHANGE, Operation.UPDATE);
    ChangeEvent update = events.get(1);
    assertThat(update.beforeImage()).isEqualTo(BeforeImage.FULL);
    assertThat(update.changedFields())
        .isEqualTo(Map.of("title", new FieldChange("draft", "final")));
    assertThat(update.table().toString()).isEqualTo("public.docs");
    assertThat(update.source().lsn()).isEqualTo(99L);
    assertThat(update.source().transactionId()).isEqualTo("77");
    assertThat(update.source().commitTime()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
  }

  @Test
  void toastPlaceholderIsListedAndNeverReportedAsAValueOrAChange() {
    RecordMapper mapper = mapper();
    Struct value =
        ENVELOPE.update(
            row(1, "a", "long text"), row(1, "b", PLACEHOLDER), source(5), Instant.now());

    ChangeEvent update = map(mapper, record(value, 1)).get(1);

    assertThat(update.unavailableFields()).containsExactly("body");
    assertThat(update.after()).doesNotContainKey("body");
    assertThat(update.changedFields()).containsOnlyKeys("title");
  }

  @Test
  void deleteWhoseOtherColumnsAreAllNullableAndNullIsUnknownAndKeepsOnlyTheKey() {
    RecordMapper mapper = mapper();
    Struct value = ENVELOPE.delete(row(3, null, null), source(6), Instant.now());

    ChangeEvent delete = map(mapper, record(value, 3)).get(1);

    assertThat(delete.beforeImage()).isEqualTo(BeforeImage.UNKNOWN);
    assertThat(delete.before()).isEqualTo(Map.of("id", 3));
    assertThat(delete.changedFieldsKnown()).isFalse();
  }

  @Test
  void updateWithoutBeforeSaysSoAndInventsNothing() {
    RecordMapper mapper = mapper();
    Struct value = ENVELOPE.update(null, row(1, "b", "x"), source(7), Instant.now());

    ChangeEvent update = map(mapper, record(value, 1)).get(1);

    assertThat(update.beforeImage()).isEqualTo(BeforeImage.NONE);
    assertThat(update.before()).isNull();
    assertThat(update.changedFields()).isEmpty();
  }

  @Test
  void aSecondEventWithTheSameColumnsReportsNoSchemaChange() {
    RecordMapper mapper = mapper();
    map(mapper, record(ENVELOPE.create(row(1, "a", "b"), source(1), Instant.now()), 1));

    List<ChangeEvent> second =
        map(mapper, record(ENVELOPE.create(row(2, "a", null), source(2), Instant.now()), 2));

    assertThat(second).extracting(ChangeEvent::operation).containsExactly(Operation.CREATE);
    assertThat(second.get(0).after()).containsEntry("body", null);
  }

  @Test
  void heartbeatsAreRecognisedAndForeignRecordsRejectedWithAClearMessage() {
    RecordMapper mapper = mapper();
    SourceRecord heartbeat =
        new SourceRecord(
            Map.of(), Map.of(), "__debezium-heartbeat.srv", null, null, null, null, null);
    SourceRecord foreign =
        new SourceRecord(
            Map.of(), Map.of(), "weird", null, null, null, Schema.STRING_SCHEMA, "not a change");

    assertThat(mapper.kind(heartbeat)).isEqualTo(RecordMapper.Kind.HEARTBEAT);
    assertThatThrownBy(() -> mapper.kind(foreign))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unexpected Debezium record on topic 'weird'");
  }
}
