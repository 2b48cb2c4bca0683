package dev.collect.core.contract;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries of DESIGN.md as one set of ArchUnit rules, run by each module's {@code
 * ArchitectureTest}, a subclass that names its module and adds its own rules with {@link
 * #onlyInternalsUse} and {@link #nothingUses}:
 *
 * <ul>
 *   <li>core depends on no other module, and its runtime ({@code internal}) not on its test kit;
 *   <li>every other module depends on core's API only (not on {@code dev.collect.core.internal} or
 *       {@code dev.collect.core.testing}) and on no other module.
 * </ul>
 *
 * <p>The rules read the module's own main classes ({@code target/classes}, the working directory of
 * Surefire): scanning the class path for a package would open every jar, embedded PostgreSQL's
 * binaries included, for nothing.
 */
public abstract class ArchitectureContract {

  /** The modules, by the last part of their package root. */
  public static final List<String> MODULES =
      List.of("core", "batch", "stream", "cdc", "eventstore", "examples");

  private final String module;
  private final JavaClasses classes;

  /** The rules for {@code module}, one of {@link #MODULES}. */
  protected ArchitectureContract(String module) {
    if (!MODULES.contains(module)) {
      throw new IllegalArgumentException(
          "module must be one of " + MODULES + ", but was " + module);
    }
    this.module = module;
    this.classes = new ClassFileImporter().importPath(Path.of("target", "classes"));
  }

  /** The module's main classes. */
  protected final JavaClasses classes() {
    return classes;
  }

  /** Checks {@code rule} against the module's main classes. */
  protected final void check(ArchRule rule) {
    rule.check(classes);
  }

  private String root() {
    return "dev.collect." + module;
  }

  @Test
  void dependsOnNoOtherModule() {
    String[] others =
        MODULES.stream()
            .filter(m -> !m.equals(module) && !m.equals("core"))
            .map(m -> "dev.collect." + m + "..")
            .toArray(String[]::new);
    check(noClasses().should().dependOnClassesThat().resideInAnyPackage(others));
  }

  @Test
  void usesNeitherCoresInternalsNorItsTestKit() {
    if (module.equals("core")) {
      check(
          noClasses()
              .that()
              .resideInAPackage("dev.collect.core.internal..")
              .should()
              .dependOnClassesThat()
              .resideInAPackage("dev.collect.core.testing.."));
    } else {
      check(
          noClasses()
              .should()
              .dependOnClassesThat()
              .resideInAnyPackage("dev.collect.core.internal..", "dev.collect.core.testing.."));
    }
  }

  /**
   * Only the module's {@code internal} packages use {@code packages}: they stay an implementation
   * detail, out of the API.
   */
  protected final void onlyInternalsUse(String... packages) {
    check(
        noClasses()
            .that()
            .resideOutsideOfPackage(root() + ".internal..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(packages));
  }

  /** No class of the module uses {@code packages}. */
  protected final void nothingUses(String... packages) {
    check(noClasses().should().dependOnClassesThat().resideInAnyPackage(packages));
  }
}
