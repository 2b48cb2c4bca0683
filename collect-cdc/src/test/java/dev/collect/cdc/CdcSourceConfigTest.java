package dev.collect.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class CdcSourceConfigTest {

  @Test
  void postgresDefaults() {
    CdcSourceConfig config = CdcSourceConfig.postgres().databaseName("shop").build();

    assertThat(config.port()).isEqualTo(5432);
    assertThat(config.user()).isEqualTo("postgres");
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.slotName()).isEqualTo("collect_cdc");
    assertThat(config.publicationName()).isEqualTo("collect_cdc");
    assertThat(config.snapshotMode()).isEqualTo(SnapshotMode.INITIAL);
    assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.dropSlotOnStop()).isFalse();
    assertThat(config.bufferRecords()).isEqualTo(CdcSourceConfig.DEFAULT_BUFFER_RECORDS);
    assertThat(config.ordering()).isEqualTo(CdcSourceConfig.Ordering.TABLE);
    assertThat(config.checkpointKey()).isEqualTo("cdc-cdc-offsets");
  }

  @Test
  void defaultSlotAndPublicationNamesAreLowerCasedTheSameInEveryLocale() {
    Locale saved = Locale.getDefault();
    try {
      // Turkish lower-cases 'I' to a dotless 'ı', which is no valid slot name.
      Locale.setDefault(Locale.forLanguageTag("tr-TR"));

      CdcSourceConfig config =
          CdcSourceConfig.postgres().name("INVOICES").databaseName("shop").build();

      assertThat(config.slotName()).isEqualTo("collect_invoices");
      assertThat(config.publicationName()).isEqualTo("collect_invoices");
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void mysqlDefaultsAndRequiredSchemaHistory() {
    assertThatThrownBy(() -> CdcSourceConfig.mysql().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schemaHistoryFile");

    CdcSourceConfig config = CdcSourceConfig.mysql().schemaHistoryFile(Path.of("h.dat")).build();

    assertThat(config.port()).isEqualTo(3306);
    assertThat(config.user()).isEqualTo("root");
  }

  @Test
  void rejectsBadValuesAtOnceNamingTheSettingAndValue() {
    CdcSourceConfig.Builder b = CdcSourceConfig.postgres();

    assertThatThrownBy(() -> b.name("no spaces")).hasMessageContaining("'no spaces'");
    assertThatThrownBy(() -> b.connect("db", 0))
        .hasMessageContaining("port must be in [1, 65535], but was 0");
    assertThatThrownBy(() -> b.bufferRecords(-3))
        .hasMessageContaining("bufferRecords must be > 0, but was -3");
    assertThatThrownBy(() -> b.slotName("Bad-Slot")).hasMessageContaining("slotName");
    assertThatThrownBy(() -> b.tables("a,b")).hasMessageContaining("comma");
    assertThatThrownBy(() -> b.heartbeatInterval(Duration.ofSeconds(-1)))
        .hasMessageContaining("heartbeatInterval");
    assertThatThrownBy(() -> b.property("offset.storage", "x"))
        .hasMessageContaining("managed by collect-cdc");
    assertThatThrownBy(() -> CdcSourceConfig.postgres().build())
        .hasMessageContaining("databaseName is required");
  }

  @Test
  void toStringNeverShowsThePassword() {
    CdcSourceConfig config =
        CdcSourceConfig.postgres().databaseName("shop").credentials("app", "s3cret-pw").build();

    assertThat(config.toString()).doesNotContain("s3cret-pw");
  }
}
