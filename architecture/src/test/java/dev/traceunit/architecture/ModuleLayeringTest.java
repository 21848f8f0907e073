package dev.traceunit.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.base.DescribedPredicate;
import org.junit.jupiter.api.Test;

/**
 * The module layering of DESIGN.md, checked on the main classes of every published module: core and
 * mock-clock use nothing but the JDK; assertions build on core; the extension on core, mock-clock and
 * the assertions; the OpenTelemetry bridge on core and the extension's plugin interface only, and
 * the Micrometer bridge (an optional layer: checked when the module is on the class path) on those
 * and the OpenTelemetry bridge, whose SDK serves its {@code Tracer} parameters.
 */
class ModuleLayeringTest {

  private static final JavaClasses MAIN = PublishedClasses.main();

  /** Where modules plug into the extension: its {@code spi} package (the plugin interface, configuration keys). */
  private static final DescribedPredicate<JavaClass> EXTENSION_PLUGIN_INTERFACE =
      resideInAPackage("dev.traceunit.junit.spi..");

  @Test
  void coreDependsOnNothingButTheJdk() {
    classes().that().resideInAPackage("dev.traceunit.core..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("dev.traceunit.core..", "java..")
        .check(MAIN);
  }

  @Test
  void mockClockDependsOnNothingButTheJdk() {
    classes().that().resideInAPackage("dev.traceunit.clock..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("dev.traceunit.clock..", "java..")
        .check(MAIN);
  }

  @Test
  void eachModuleUsesOnlyTheModulesBelowIt() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("core").definedBy("dev.traceunit.core..")
        .layer("mock-clock").definedBy("dev.traceunit.clock..")
        .layer("assertions").definedBy("dev.traceunit.assertions..")
        .layer("extension plugin interface").definedBy(EXTENSION_PLUGIN_INTERFACE)
        .layer("extension").definedBy(resideInAPackage("dev.traceunit.junit..").and(
            DescribedPredicate.not(EXTENSION_PLUGIN_INTERFACE)))
        .layer("otel").definedBy("dev.traceunit.otel..")
        .optionalLayer("micrometer").definedBy("dev.traceunit.micrometer..")
        .whereLayer("core").mayNotAccessAnyLayer()
        .whereLayer("mock-clock").mayNotAccessAnyLayer()
        .whereLayer("assertions").mayOnlyAccessLayers("core")
        .whereLayer("extension plugin interface").mayOnlyAccessLayers("core")
        .whereLayer("extension").mayOnlyAccessLayers("core", "mock-clock", "assertions", "extension plugin interface")
        .whereLayer("otel").mayOnlyAccessLayers("core", "extension plugin interface")
        .whereLayer("micrometer").mayOnlyAccessLayers("core", "extension plugin interface", "otel")
        .check(MAIN);
  }
}
