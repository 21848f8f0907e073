package dev.traceunit.junit;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * What the JUnit on the class path can do, detected once by the classes it has, never by catching
 * linkage errors. traceunit-junit is compiled against JUnit Jupiter 5.14 and runs on 5.10 and newer
 * (the lines Spring Boot 3.3 to 4.1 manage): what an older line lacks is left out or done another way
 * ({@link DumpFiles}). An even older JUnit gets a message saying so, not a {@code
 * NoClassDefFoundError} in every test.
 */
final class SupportedJUnit {

  /** {@code AnnotatedElementContext} is new in JUnit Jupiter 5.10, the oldest line traceunit runs on. */
  private static final String MISSING = missing(isPresent("org.junit.jupiter.api.extension.AnnotatedElementContext"),
      Test.class.getPackage().getImplementationVersion());

  /** Whether {@code ExtensionContext.publishFile} takes {@code org.junit.jupiter.api.MediaType} (5.14+). */
  static final boolean MEDIA_TYPE = isPresent("org.junit.jupiter.api.MediaType");
  /** Whether {@code ExtensionContext.publishFile} exists at all (5.12+), with its first media type. */
  static final boolean PUBLISH_FILE = MEDIA_TYPE || isPresent("org.junit.jupiter.api.extension.MediaType");
  /**
   * Whether the JUnit Platform launcher is there, which runs {@link TraceReportListener}. Every
   * run has one, but a build may bring it only to the runner (Surefire's own class path).
   */
  static final boolean LAUNCHER = isPresent("org.junit.platform.launcher.TestExecutionListener");

  /** What is printed, once, when a traced test runs without the launcher on its class path. */
  static final String LAUNCHER_MISSING = "traceunit: org.junit.platform:junit-platform-launcher is not on the test"
      + " class path, so no trace report (target/traceunit-report) is written; add it in test scope (Gradle:"
      + " testRuntimeOnly), its version from org.junit:junit-bom";
  private static final AtomicBoolean LAUNCHER_NOTED = new AtomicBoolean();

  private SupportedJUnit() {}

  /** Says once per JVM that without the launcher there is no HTML report. */
  static void noteLauncherMissing() {
    if (LAUNCHER_NOTED.compareAndSet(false, true)) {
      System.err.println(LAUNCHER_MISSING);
    }
  }

  /** Throws when the JUnit Jupiter on the class path is older than 5.10. */
  static void require() {
    if (MISSING != null) {
      throw new ExtensionConfigurationException(MISSING);
    }
  }

  /** The message for a JUnit older than 5.10, or null when it is recent enough. */
  static String missing(boolean recentEnough, String foundVersion) {
    if (recentEnough) {
      return null;
    }
    return "traceunit-junit needs JUnit Jupiter 5.10 or newer, but the class path has JUnit Jupiter "
        + (foundVersion == null ? "older than 5.10" : foundVersion)
        + "; use junit-jupiter 5.10.0 or newer (or import org.junit:junit-bom of that version)";
  }

  private static boolean isPresent(String className) {
    try {
      Class.forName(className, false, SupportedJUnit.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
