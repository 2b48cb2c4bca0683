package dev.collect.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** The config records validate themselves, so one built without its builder is checked too. */
class ConnectorConfigTest {
  private static final Path DIR = Path.of("in");

  @Test
  void fileSourceConfigRejectsParquetAndABadLineLimitWithoutTheBuilder() {
    assertThatThrownBy(
            () ->
                new FileSourceConfig(
                    DIR,
                    "*",
                    LakeFormat.PARQUET,
                    ',',
                    1024,
                    FileSourceConfig.Fingerprint.SIZE_AND_MTIME,
                    null,
                    "k",
                    "n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PARQUET");
    assertThatThrownBy(
            () ->
                new FileSourceConfig(
                    DIR, "*", null, ',', 0, FileSourceConfig.Fingerprint.CHECKSUM, null, "k", "n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxLineBytes");
    FileSourceConfig built = FileSourceConfig.builder(DIR).build();
    assertThat(built.name()).isEqualTo("files:in");
    assertThat(built.checkpointKey()).isEqualTo("files:in");
    assertThat(built.maxLineBytes()).isEqualTo(FileSourceConfig.DEFAULT_MAX_LINE_BYTES);
  }

  @Test
  void jdbcConfigsCheckIdentifiersSizesAndKeys() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:configs");
    assertThatThrownBy(
            () -> new JdbcSourceConfig(ds, "t; drop", "c", null, 10, 10, null, "k", "n", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new JdbcSourceConfig(ds, "t", "c", null, 0, 10, null, "k", "n", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pageSize");
    JdbcSourceConfig sliced = JdbcSourceConfig.builder(ds, "t", "c").slice("id", 1, 3).build();
    assertThat(sliced.name()).isEqualTo("jdbc:t#1/3");
    assertThat(sliced.fetchSize()).isEqualTo(JdbcSourceConfig.DEFAULT_PAGE_SIZE);

    assertThatThrownBy(
            () -> new JdbcSinkConfig(ds, null, "t", List.of("a"), List.of("b"), "n", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not among the columns");
    assertThatThrownBy(() -> new JdbcSinkConfig(ds, null, "t", List.of(), List.of(), "n", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("columns");
  }

  @Test
  void httpSourceConfigNeverShowsHeaderValues() {
    HttpSourceConfig config =
        HttpSourceConfig.builder(URI.create("https://api.example.com/items"))
            .header("Authorization", "Bearer secret-token")
            .build();
    assertThat(config.toString()).contains("Authorization").doesNotContain("secret-token");
    assertThat(config.name()).isEqualTo("http:api.example.com/items");
    assertThat(config.pageParam()).isEqualTo("page");
    assertThat(config.sizeParam()).isEqualTo("size");
  }

  @Test
  void lakeSinkConfigChecksCodecColumnsPartitionsAndWriter() {
    assertThatThrownBy(
            () -> LakeSinkConfig.builder(DIR).format(LakeFormat.CSV).columns(List.of()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs columns");
    assertThatThrownBy(
            () ->
                LakeSinkConfig.builder(DIR)
                    .format(LakeFormat.JSON_LINES)
                    .compression(Compression.SNAPPY)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SNAPPY");
    assertThatThrownBy(
            () ->
                new LakeSinkConfig(
                    DIR,
                    "lake",
                    LakeFormat.JSON_LINES,
                    Compression.GZIP,
                    List.of(),
                    "event_date",
                    null,
                    1,
                    1,
                    java.time.Duration.ofSeconds(1),
                    null,
                    "w"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("partition");
    assertThatThrownBy(
            () ->
                new LakeSinkConfig(
                    DIR,
                    "lake",
                    LakeFormat.JSON_LINES,
                    Compression.GZIP,
                    List.of(),
                    null,
                    null,
                    1,
                    1,
                    java.time.Duration.ofSeconds(1),
                    null,
                    "bad/writer"))
        .isInstanceOf(IllegalArgumentException.class);
    LakeSinkConfig defaults = LakeSinkConfig.builder(DIR).format(LakeFormat.JSON_LINES).build();
    assertThat(defaults.compression()).isEqualTo(Compression.GZIP);
    assertThat(defaults.writer()).isEqualTo(LakeSinkConfig.DEFAULT_WRITER);
  }
}
