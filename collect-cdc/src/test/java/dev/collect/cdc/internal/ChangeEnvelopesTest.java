package dev.collect.cdc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.cdc.BeforeImage;
import dev.collect.cdc.CdcPosition;
import dev.collect.cdc.CdcSourceConfig;
import dev.collect.cdc.ChangeEvent;
import dev.collect.cdc.Operation;
import dev.collect.cdc.SourceInfo;
import dev.collect.cdc.TableId;
import dev.collect.core.Envelope;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** The README's envelope promise: key, event time, exactly the {@code cdc.*} headers, position. */
class ChangeEnvelopesTest {
  private static final Instant COMMIT = Instant.parse("2026-12-05T10:15:30.123Z");

  @Test
  void postgresChangeCarriesItsHeadersKeyEventTimeAndOffset() {
    CdcSourceConfig config =
        CdcSourceConfig.postgres()
            .name("orders")
            .databaseName("shop")
            .ordering(CdcSourceConfig.Ordering.ROW)
            .build();
    SourceInfo source =
        new SourceInfo("postgresql", "orders", 24023128L, null, null, null, "771", COMMIT, false);
    Map<String, Object> offset = new HashMap<>(Map.of("lsn", 24023128L, "txId", 771L));
    offset.put("lsn_commit", null); // Debezium leaves some offset fields null; they are dropped

    Envelope<ChangeEvent> envelope =
        new ChangeEnvelopes(config).of(event(source), record(offset), 42);

    assertThat(envelope.headers())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "cdc.operation", "UPDATE",
                "cdc.table", "public.orders",
                "cdc.commit.time", "2026-12-05T10:15:30.123Z",
                "cdc.transaction.id", "771",
                "cdc.lsn", "24023128"));
    assertThat(envelope.key()).isEqualTo(List.of("public.orders", Map.of("id", 7)));
    assertThat(envelope.eventTime()).isEqualTo(COMMIT);
    assertThat(envelope.source()).isEqualTo("orders");
    assertThat(envelope.position())
        .isEqualTo(new CdcPosition(42, Map.of("lsn", 24023128L, "txId", 771L)));
  }

  @Test
  void binlogChangeNamesItsFileAndPositionAndIsKeyedByTableByDefault() {
    CdcSourceConfig config =
        CdcSourceConfig.mysql().name("inv").schemaHistoryFile(Path.of("history.dat")).build();
    SourceInfo source =
        new SourceInfo("mysql", "inv", null, "mysql-bin.000003", 1187L, null, null, COMMIT, false);

    Envelope<ChangeEvent> envelope =
        new ChangeEnvelopes(config)
            .of(event(source), record(Map.of("file", "mysql-bin.000003", "pos", 1187L)), 1);

    assertThat(envelope.headers())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "cdc.operation", "UPDATE",
                "cdc.table", "public.orders",
                "cdc.commit.time", "2026-12-05T10:15:30.123Z",
                "cdc.binlog.file", "mysql-bin.000003",
                "cdc.binlog.position", "1187"));
    assertThat(envelope.key()).isEqualTo("public.orders");
  }

  @Test
  void headersAreReadOnly() {
    CdcSourceConfig config = CdcSourceConfig.postgres().name("ro").databaseName("shop").build();
    SourceInfo source = new SourceInfo("postgresql", "ro", 1L, null, null, null, null, null, false);
    Map<String, String> headers =
        new ChangeEnvelopes(config).of(event(source), record(Map.of("lsn", 1L)), 1).headers();

    assertThat(headers).containsOnlyKeys("cdc.operation", "cdc.table", "cdc.lsn");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> headers.put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  private static ChangeEvent event(SourceInfo source) {
    return new ChangeEvent(
        Operation.UPDATE,
        new TableId("shop", "public", "orders"),
        Map.of("id", 7),
        null,
        BeforeImage.NONE,
        Map.of("id", 7, "qty", 3),
        Map.of(),
        Set.of(),
        null,
        source);
  }

  private static SourceRecord record(Map<String, ?> offset) {
    return new SourceRecord(Map.of("server", "x"), offset, "topic", null, null, null, null);
  }
}
