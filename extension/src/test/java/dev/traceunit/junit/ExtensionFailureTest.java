package dev.traceunit.junit;

import static dev.traceunit.junit.TraceExtensionTest.config;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtensionFailureTest {

  @TempDir
  Path temp;

  /** A report "directory" that is a regular file: nothing can be published under it. */
  private Path unwritableReports() throws IOException {
    return Files.writeString(temp.resolve("reports"), "not a directory");
  }

  @Test
  void aDumpThatCannotBeWrittenIsAddedAsSuppressedAndNeverHidesTheTestsException() throws IOException {
    Kit.Run run = Kit.run(unwritableReports(), TraceExtensionTest.CheckoutSample.class);

    Throwable failure = run.failure("expectsTwoPaymentCalls");
    assertThat(failure).isInstanceOf(AssertionError.class).hasMessage("expected 2 payment calls but found 1");
    Throwable[] suppressed = failure.getSuppressed();
    assertThat(suppressed).hasSize(3);
    assertThat(suppressed[0]).isInstanceOf(TraceDump.class);
    assertThat(suppressed[1]).hasMessage("traceunit could not publish trace.txt (traceunit.dump.formats includes text)")
        .hasRootCauseInstanceOf(IOException.class);
    assertThat(suppressed[2]).hasMessage("traceunit could not publish trace.json (traceunit.dump.formats includes json)");
    assertThat(run.reportEntries("expectsTwoPaymentCalls", "traceunit.trace")).hasSize(1);
  }

  @Test
  void aPassingTestWhoseRequestedDumpCannotBeWrittenFailsSayingWhy() throws IOException {
    Kit.Run run = Kit.run(unwritableReports(), config("traceunit.dump", "always"), TraceExtensionTest.CheckoutSample.class);

    Throwable failure = run.failure("paysOnce");
    assertThat(failure).hasMessage("traceunit could not publish trace.txt (traceunit.dump.formats includes text)");
    assertThat(failure.getSuppressed()).singleElement().extracting(Throwable::getMessage)
        .isEqualTo("traceunit could not publish trace.json (traceunit.dump.formats includes json)");
  }

  @Test
  void aTestFailingForProblemsKeepsThatFailureWhenTheDumpCannotBeWritten() throws IOException {
    Kit.Run run = Kit.run(unwritableReports(), TraceExtensionTest.ProblemSample.class);

    Throwable failure = run.failure("leavesASpanOpen");
    assertThat(failure).isInstanceOf(TraceProblemsError.class);
    assertThat(failure.getSuppressed()).hasSize(2);
  }
}
