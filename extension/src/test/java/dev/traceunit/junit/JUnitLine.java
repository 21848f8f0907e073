package dev.traceunit.junit;

import org.junit.jupiter.api.Test;

/** The JUnit Jupiter line this test run has: the build's, or the one a CI profile swapped in. */
final class JUnitLine {

  private JUnitLine() {}

  /** Major and minor version of the JUnit Jupiter API on the class path. */
  static int[] version() {
    String version = Test.class.getPackage().getImplementationVersion();
    if (version == null) {
      throw new AssertionError("the JUnit Jupiter API jar names no Implementation-Version");
    }
    String[] parts = version.split("[.-]");
    return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
  }

  static boolean atLeast(int major, int minor) {
    int[] version = version();
    return version[0] > major || version[0] == major && version[1] >= minor;
  }
}
