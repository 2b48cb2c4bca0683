package dev.collect.batch.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.batch.internal.jdbc.JobLeaseTables.RunRow;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobLeaseTablesTest {
  JobLeaseTables tables;

  @BeforeEach
  void createTables() throws Exception {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:leases_" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    tables = new JobLeaseTables(h2, "jobs");
    tables.ensure("copy", 1000);
  }

  private static RunRow run(long fire, String instance, int attempt) {
    return new RunRow(
        "copy",
        Long.toString(fire),
        "schedule",
        fire,
        1,
        2,
        "COMPLETED",
        5,
        5,
        0,
        0,
        null,
        instance,
        attempt);
  }

  @Test
  void ensureKeepsAnExistingRow() {
    tables.ensure("copy", 9999);

    assertThat(tables.lease("copy").orElseThrow().fireMs()).isEqualTo(1000);
  }

  @Test
  void aFireTimeIsClaimedByOneInstanceOnly() {
    boolean a = tables.claim("copy", 1000, 3000, "a", 10_000);
    boolean b = tables.claim("copy", 1000, 3000, "b", 10_000);

    assertThat(a).isTrue();
    assertThat(b).isFalse();
    assertThat(tables.lease("copy").orElseThrow())
        .isEqualTo(new JobLeaseTables.Lease(3000, "a", 10_000, true, 1));
  }

  @Test
  void aRunningLeaseIsTakenOverOnlyOnceExpired() {
    tables.claim("copy", 1000, 3000, "a", 10_000);

    boolean early = tables.takeOver("copy", 3000, 9_999, "b", 20_000);
    boolean late = tables.takeOver("copy", 3000, 10_001, "b", 20_000);
    boolean again = tables.takeOver("copy", 3000, 10_001, "c", 20_000);

    assertThat(early).isFalse();
    assertThat(late).isTrue();
    assertThat(again).isFalse();
    assertThat(tables.lease("copy").orElseThrow())
        .isEqualTo(new JobLeaseTables.Lease(3000, "b", 20_000, true, 2));
    assertThat(tables.renew("copy", 3000, "a", 30_000)).isFalse();
  }

  @Test
  void onlyTheLeaseHolderRecordsTheRunAndReleasesTheJob() {
    tables.claim("copy", 1000, 3000, "a", 10_000);
    tables.takeOver("copy", 3000, 10_001, "b", 20_000);

    boolean byOldOwner = tables.complete(run(3000, "a", 1));
    boolean byNewOwner = tables.complete(run(3000, "b", 2));

    assertThat(byOldOwner).isFalse();
    assertThat(byNewOwner).isTrue();
    assertThat(tables.history("copy", 10)).containsExactly(run(3000, "b", 2));
    assertThat(tables.lease("copy").orElseThrow().running()).isFalse();
    assertThat(tables.claim("copy", 3000, 5000, "c", 30_000)).isTrue();
  }

  @Test
  void skipMovesAnIdleJobWithoutRunningIt() {
    assertThat(tables.skip("copy", 1000, 7000)).isTrue();
    assertThat(tables.skip("copy", 1000, 9000)).isFalse();

    assertThat(tables.lease("copy").orElseThrow().fireMs()).isEqualTo(7000);
    assertThat(tables.history("copy", 10)).isEmpty();
  }
}
