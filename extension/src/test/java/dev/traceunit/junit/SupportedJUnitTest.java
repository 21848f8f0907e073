package dev.traceunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class SupportedJUnitTest {

  @Test
  void anOlderJUnitIsNamedWithTheVersionToUseInstead() {
    assertThat(SupportedJUnit.missing(false, "5.12.2")).isEqualTo(
        "traceunit-junit needs JUnit Jupiter 5.14 or newer, but the class path has JUnit Jupiter 5.12.2;"
            + " use junit-jupiter 5.14.4 or newer (or import org.junit:junit-bom of that version)");
    assertThat(SupportedJUnit.missing(false, null)).contains("has JUnit Jupiter older than 5.14;");
  }

  @Test
  void theJUnitOfThisBuildIsRecentEnough() {
    assertThat(SupportedJUnit.missing(true, "5.14.4")).isNull();
    assertThatCode(SupportedJUnit::require).doesNotThrowAnyException();
  }
}
