package dev.collect.batch;

import dev.collect.core.contract.ArchitectureContract;
import org.junit.jupiter.api.Test;

/** DESIGN.md's boundaries, Parquet kept out of the API, and no Hadoop behind the Parquet writer. */
class ArchitectureTest extends ArchitectureContract {
  ArchitectureTest() {
    super("batch");
  }

  @Test
  void theApiDoesNotExposeParquet() {
    onlyInternalsUse("org.apache.parquet..", "org.apache.hadoop..");
  }

  @Test
  void nothingUsesHadoop() {
    nothingUses("org.apache.hadoop..");
  }
}
