package dev.collect.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries of DESIGN.md over every module on this classpath: modules depend on core
 * only, and nobody uses another module's {@code internal} package.
 */
class ArchitectureTest {

  static final List<String> MODULES =
      List.of("core", "batch", "stream", "cdc", "eventstore", "examples");

  private static final JavaClasses ALL =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.collect");

  @Test
  void nobodyUsesAnotherModulesInternals() {
    for (String module : MODULES) {
      for (String other : MODULES) {
        if (!other.equals(module)) {
          forbid(module, "dev.collect." + other + ".internal..");
        }
      }
    }
  }

  @Test
  void modulesDependOnCoreOnly() {
    List<String> leaves = List.of("batch", "stream", "cdc", "eventstore");
    for (String module : leaves) {
      for (String other : MODULES) {
        if (!other.equals(module) && !other.equals("core")) {
          forbid(module, "dev.collect." + other + "..");
        }
      }
    }
  }

  private void forbid(String module, String packages) {
    noClasses()
        .that()
        .resideInAPackage("dev.collect." + module + "..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(packages)
        .allowEmptyShould(true)
        .check(ALL);
  }
}
