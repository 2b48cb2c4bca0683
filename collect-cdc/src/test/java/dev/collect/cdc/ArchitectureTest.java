package dev.collect.cdc;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps DESIGN.md's boundaries: collect-cdc depends on core's API only. */
class ArchitectureTest {
  private final JavaClasses cdc =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
          .importPackages("dev.collect.cdc");

  @Test
  void dependsOnNoOtherModuleAndNoInternalsOfCore() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.collect.core.internal..",
            "dev.collect.core.testing..",
            "dev.collect.batch..",
            "dev.collect.stream..",
            "dev.collect.eventstore..",
            "dev.collect.examples..")
        .check(cdc);
  }

  @Test
  void theApiExposesNoDebeziumOrKafkaTypes() {
    noClasses()
        .that()
        .resideInAPackage("dev.collect.cdc")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.debezium..", "org.apache.kafka..")
        .check(cdc);
  }
}
