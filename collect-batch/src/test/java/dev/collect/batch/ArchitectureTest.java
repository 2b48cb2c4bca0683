package dev.collect.batch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The boundaries of DESIGN.md for this module, and no Hadoop behind the Parquet writer. */
class ArchitectureTest {

  // The module's own classes only: scanning the class path for the package would open every jar,
  // including embedded PostgreSQL's large binaries, for nothing.
  private final JavaClasses batch =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPath(java.nio.file.Path.of("target", "classes"));

  @Test
  void dependsOnCoreOnlyAndNotOnItsInternals() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.collect.core.internal..",
            "dev.collect.core.testing..",
            "dev.collect.stream..",
            "dev.collect.cdc..",
            "dev.collect.eventstore..",
            "dev.collect.examples..")
        .check(batch);
  }

  @Test
  void theApiDoesNotExposeTheInternals() {
    noClasses()
        .that()
        .resideInAPackage("dev.collect.batch")
        .and()
        .arePublic()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.parquet..", "org.apache.hadoop..")
        .check(batch);
  }

  @Test
  void nothingUsesHadoop() {
    noClasses().should().dependOnClassesThat().resideInAPackage("org.apache.hadoop..").check(batch);
  }
}
