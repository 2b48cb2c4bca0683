package dev.collect.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Keeps the boundaries of DESIGN.md: core stands alone; its test kit is not used by its runtime.
 */
class ArchitectureTest {

  private final JavaClasses core =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.collect.core");

  @Test
  void coreImportsNoOtherModule() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.collect.batch..",
            "dev.collect.stream..",
            "dev.collect.cdc..",
            "dev.collect.eventstore..",
            "dev.collect.examples..")
        .check(core);
  }

  @Test
  void theRuntimeDoesNotDependOnTheTestKit() {
    noClasses()
        .that()
        .resideInAPackage("dev.collect.core.internal..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.collect.core.testing..")
        .check(core);
  }
}
