package dev.traceunit.junit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The extension publishes files with {@code org.junit.jupiter.api.MediaType}, new in JUnit Jupiter
 * 5.14. An older JUnit (one a framework's dependency management picked, say) must get a message
 * saying so, not a {@code NoClassDefFoundError} in every test.
 */
final class SupportedJUnit {

  private static final String MISSING = missing(isPresent("org.junit.jupiter.api.MediaType"),
      Test.class.getPackage().getImplementationVersion());

  private SupportedJUnit() {}

  /** Throws when the JUnit Jupiter on the class path is older than 5.14. */
  static void require() {
    if (MISSING != null) {
      throw new ExtensionConfigurationException(MISSING);
    }
  }

  /** The message for a JUnit without {@code MediaType}, or null when it is recent enough. */
  static String missing(boolean mediaTypePresent, String foundVersion) {
    if (mediaTypePresent) {
      return null;
    }
    return "traceunit-junit needs JUnit Jupiter 5.14 or newer, but the class path has JUnit Jupiter "
        + (foundVersion == null ? "older than 5.14" : foundVersion)
        + "; use junit-jupiter 5.14.4 or newer (or import org.junit:junit-bom of that version)";
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
