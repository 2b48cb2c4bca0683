package dev.collect.stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps DESIGN.md's boundaries: stream depends on core's API only, never on other modules. */
class ArchitectureTest {
  private final JavaClasses stream =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.collect.stream");

  @Test
  void streamUsesNoOtherModuleAndNoInternalsOfCore() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.collect.core.internal..",
            "dev.collect.core.testing..",
            "dev.collect.batch..",
            "dev.collect.cdc..",
            "dev.collect.eventstore..",
            "dev.collect.examples..")
        .check(stream);
  }

  @Test
  void jettyStaysAnImplementationDetail() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.collect.stream.internal..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.eclipse.jetty..")
        .check(stream);
  }

  /** The servlet API is {@code provided}: only the servlet's own classes may load it. */
  @Test
  void onlyTheServletClassesUseTheServletApi() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName("dev.collect.stream.WebhookServlet")
        .and()
        .doNotHaveFullyQualifiedName("dev.collect.stream.internal.ServletExchange")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("jakarta.servlet..")
        .check(stream);
  }
}
