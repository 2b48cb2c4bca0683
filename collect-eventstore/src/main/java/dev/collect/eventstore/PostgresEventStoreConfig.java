package dev.collect.eventstore;

import dev.collect.core.spi.Checks;
import dev.collect.eventstore.internal.PostgresSchema;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Settings of the PostgreSQL backend. Immutable; build with {@link #builder(DataSource)}.
 *
 * @param dataSource where connections come from (a pool in production); needs the PostgreSQL driver
 *     ({@code org.postgresql:postgresql}) on the class path
 * @param tablePrefix prefix of the store's table {@code <prefix>_events}, sequences and append
 *     function, and of its notification channel (default {@code collect}); lower-case letters,
 *     digits and underscores
 * @param maxEventBytes largest payload accepted (default 4 MiB)
 * @param pollInterval how often a caught-up subscription reads again when no notification woke it
 *     (default 100 ms)
 */
public record PostgresEventStoreConfig(
    DataSource dataSource, String tablePrefix, int maxEventBytes, Duration pollInterval) {

  public PostgresEventStoreConfig {
    Objects.requireNonNull(dataSource, "dataSource");
    PostgresSchema.checkPrefix(tablePrefix);
    Checks.positive("maxEventBytes", maxEventBytes);
    Checks.positive("pollInterval", pollInterval);
  }

  /** Defaults for {@code dataSource}. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** Builds a {@link PostgresEventStoreConfig}; not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private String tablePrefix = "collect";
    private int maxEventBytes = FileEventStoreConfig.DEFAULT_MAX_EVENT_BYTES;
    private Duration pollInterval = Duration.ofMillis(100);

    private Builder(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    /** Table name prefix (default {@code collect}). */
    public Builder tablePrefix(String value) {
      this.tablePrefix = value;
      return this;
    }

    /** Largest payload (default 4 MiB). */
    public Builder maxEventBytes(int value) {
      this.maxEventBytes = value;
      return this;
    }

    /**
     * Fallback poll of a caught-up subscription, when no notification wakes it (default 100 ms).
     */
    public Builder pollInterval(Duration value) {
      this.pollInterval = value;
      return this;
    }

    public PostgresEventStoreConfig build() {
      return new PostgresEventStoreConfig(dataSource, tablePrefix, maxEventBytes, pollInterval);
    }
  }
}
