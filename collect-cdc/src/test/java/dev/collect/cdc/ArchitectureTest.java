package dev.collect.cdc;

import dev.collect.core.contract.ArchitectureContract;
import org.junit.jupiter.api.Test;

/** DESIGN.md's boundaries, and no Debezium or Kafka type in the API. */
class ArchitectureTest extends ArchitectureContract {
  ArchitectureTest() {
    super("cdc");
  }

  @Test
  void theApiExposesNoDebeziumOrKafkaTypes() {
    onlyInternalsUse("io.debezium..", "org.apache.kafka..");
  }
}
