package dev.collect.batch;

import dev.collect.core.spi.Checks;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * How schedulers in several processes share their jobs through one database (PostgreSQL, MariaDB,
 * H2 or SQLite): each fire time of a job is claimed by exactly one instance, whose lease it renews
 * while the run goes; a run whose lease expired (its instance died) is taken over by another
 * instance, which runs the job again from the job's own checkpoint. Tables {@code <prefix>_leases}
 * and {@code <prefix>_runs} are created if absent. Immutable.
 *
 * @param dataSource the shared database
 * @param instance this instance's name, recorded with each run it completes
 * @param lease how long a run's claim lasts without renewal (renewed every {@code poll})
 * @param poll how often the instance looks for due fire times and expired leases
 * @param tablePrefix the prefix of the two tables
 */
public record SchedulerCluster(
    DataSource dataSource, String instance, Duration lease, Duration poll, String tablePrefix) {
  /** The default lease: 30 seconds. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

  /** The default poll interval: 1 second. */
  public static final Duration DEFAULT_POLL = Duration.ofSeconds(1);

  /** The default table prefix. */
  public static final String DEFAULT_TABLE_PREFIX = "collect_job";

  public SchedulerCluster {
    Objects.requireNonNull(dataSource, "dataSource");
    if (instance == null || instance.isBlank() || instance.length() > 200) {
      throw new IllegalArgumentException(
          "instance must be 1 to 200 characters, but was '" + instance + "'");
    }
    Checks.positive("lease", lease);
    Checks.positive("poll", poll);
    if (poll.multipliedBy(2).compareTo(lease) > 0) {
      throw new IllegalArgumentException(
          "poll must be at most half the lease, but was " + poll + " for a lease of " + lease);
    }
    SqlDialect.identifier(tablePrefix);
  }

  /**
   * A cluster on {@code dataSource}, this instance named by the JVM ({@code pid@host}), with the
   * default lease, poll interval and tables.
   */
  public static SchedulerCluster of(DataSource dataSource) {
    return new SchedulerCluster(
        dataSource,
        ManagementFactory.getRuntimeMXBean().getName(),
        DEFAULT_LEASE,
        DEFAULT_POLL,
        DEFAULT_TABLE_PREFIX);
  }

  /** This cluster with another instance name. */
  public SchedulerCluster withInstance(String value) {
    return new SchedulerCluster(dataSource, value, lease, poll, tablePrefix);
  }

  /** This cluster with another lease and poll interval (poll at most half the lease). */
  public SchedulerCluster withLease(Duration leaseValue, Duration pollValue) {
    return new SchedulerCluster(dataSource, instance, leaseValue, pollValue, tablePrefix);
  }

  /** This cluster with tables {@code <value>_leases} and {@code <value>_runs}. */
  public SchedulerCluster withTablePrefix(String value) {
    return new SchedulerCluster(dataSource, instance, lease, poll, value);
  }
}
