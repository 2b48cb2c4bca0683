package dev.collect.stream;

import dev.collect.core.contract.ArchitectureContract;
import org.junit.jupiter.api.Test;

/** DESIGN.md's boundaries, and Jetty kept an implementation detail. */
class ArchitectureTest extends ArchitectureContract {
  ArchitectureTest() {
    super("stream");
  }

  @Test
  void jettyStaysAnImplementationDetail() {
    onlyInternalsUse("org.eclipse.jetty..");
  }
}
