package dev.traceunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class SupportedJUnitTest {

  @Test
  void aJUnitOlderThanTheFloorIsNamedWithTheVersionToUseInstead() {
    assertThat(SupportedJUnit.missing(false, "5.9.3")).isEqualTo(
        "traceunit-junit needs JUnit Jupiter 5.10 or newer, but the class path has JUnit Jupiter 5.9.3;"
            + " use junit-jupiter 5.10.0 or newer (or import org.junit:junit-bom of that version)");
    assertThat(SupportedJUnit.missing(false, null)).contains("has JUnit Jupiter older than 5.10;");
  }

  @Test
  void theJUnitOfThisRunIsRecentEnoughAndItsFeaturesAreDetected() {
    assertThat(SupportedJUnit.missing(true, "5.10.5")).isNull();
    assertThatCode(SupportedJUnit::require).doesNotThrowAnyException();
    assertThat(SupportedJUnit.LAUNCHER).isTrue();
    // The line this run has (the build's, or a CI profile's) decides how files are published.
    int[] version = JUnitLine.version();
    assertThat(SupportedJUnit.MEDIA_TYPE).isEqualTo(JUnitLine.atLeast(5, 14));
    assertThat(SupportedJUnit.PUBLISH_FILE).as("JUnit %s.%s", version[0], version[1]).isEqualTo(JUnitLine.atLeast(5, 12));
  }
}
