package dev.collect.core;

import dev.collect.core.contract.ArchitectureContract;

/** DESIGN.md's boundaries: core stands alone; its test kit is not used by its runtime. */
class ArchitectureTest extends ArchitectureContract {
  ArchitectureTest() {
    super("core");
  }
}
