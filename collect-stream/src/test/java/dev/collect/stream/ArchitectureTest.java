package dev.collect.stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

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

  /** The servlet API is {@code provided}: only the servlet's own classes may load it. */
  @Test
  void onlyTheServletClassesUseTheServletApi() {
    check(
        noClasses()
            .that()
            .doNotHaveFullyQualifiedName("dev.collect.stream.WebhookServlet")
            .and()
            .doNotHaveFullyQualifiedName("dev.collect.stream.internal.ServletExchange")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("jakarta.servlet.."));
  }
}
