package dev.collect.eventstore;

import dev.collect.core.contract.ArchitectureContract;
import org.junit.jupiter.api.Test;

/** DESIGN.md's boundaries, and no compile-time dependency on the PostgreSQL driver (plain JDBC). */
class ArchitectureTest extends ArchitectureContract {
  ArchitectureTest() {
    super("eventstore");
  }

  @Test
  void nothingDependsOnThePostgresDriver() {
    nothingUses("org.postgresql..");
  }
}
