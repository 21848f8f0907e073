package dev.traceunit.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The main classes of the published modules, as found on this module's test class path. */
final class PublishedClasses {

  private static JavaClasses main;

  private PublishedClasses() {}

  /** Every class under {@code dev.traceunit} but this module's own tests and fixtures; imported once. */
  static synchronized JavaClasses main() {
    if (main == null) {
      main = new ClassFileImporter()
          .withImportOption(new ImportOption.DoNotIncludeTests()) // this module's tests, some in traceunit's packages
          .withImportOption(location -> !location.contains("dev/traceunit/architecture/"))
          .importPackages("dev.traceunit");
    }
    return main;
  }
}
