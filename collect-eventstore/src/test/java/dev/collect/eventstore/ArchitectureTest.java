package dev.collect.eventstore;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps DESIGN.md's boundaries: only core is used, and never core's internals. */
class ArchitectureTest {

  private final JavaClasses eventstore =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.collect.eventstore");

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
            "dev.collect.cdc..",
            "dev.collect.examples..")
        .check(eventstore);
  }

  @Test
  void theApiDoesNotDependOnThePostgresDriver() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.postgresql..")
        .check(eventstore);
  }
}
