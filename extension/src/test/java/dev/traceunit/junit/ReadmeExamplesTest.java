package dev.traceunit.junit;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Spans;
import dev.traceunit.core.Trace;
import dev.traceunit.core.Tracing;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult.Status;

/** The code examples of the README and docs/ about the extension, compiled and run. */
class ReadmeExamplesTest {

  @TempDir
  Path reports;

  /** The production code of the examples: it records spans through {@link Tracing}. */
  static final class Checkout {
    private final Clock clock;

    Checkout(Clock clock) {
      this.clock = clock;
    }

    void pay(long order) {
      try (SpanHandle span = Tracing.start(SpanKind.SERVER, "checkout")) {
        span.attribute("order", order);
        Tracing.run(SpanKind.CLIENT, "payment.call",
            () -> Tracing.current().attribute("paidAt", clock.instant().toString()));
      }
    }
  }

  // The class of the failing test in docs/failure-dumps.md
  @ExtendWith(TraceExtension.class)
  static class CheckoutTest {
    @Test
    void recordsOnePaymentCall(Spans spans, MockClock clock) {
      new Checkout(clock).pay(42);

      assertThat(spans).hasRootSpan("checkout").hasChildrenNamed("payment.call");
    }

    // docs/failure-dumps.md: the failing test
    @Test
    void retriesThePaymentCallOnce(Spans spans, MockClock clock) {
      new Checkout(clock).pay(42);
      clock.advanceTime(Duration.ofSeconds(2));

      assertThat(spans.named("payment.call")).hasSize(2); // fails: there was one call
    }
  }

  // README: "Configuration" (annotation)
  @Traced(clockStart = "2024-03-01T09:00:00Z", dump = "always")
  static class TracedCheckoutTest {
    @Test
    @Traced(strict = "false") // this test may leave spans open
    void startsAtNine(MockClock clock) {
      assertThat(clock.instant()).isEqualTo(Instant.parse("2024-03-01T09:00:00Z"));
      Tracing.startAsync("left.open");
    }
  }

  // README: "Configuration" (the builder it names)
  static class BuilderCheckoutTest {
    @RegisterExtension
    static TraceExtension traces = TraceExtension.builder()
        .clockStart(Instant.parse("2024-03-01T09:00:00Z"))
        .dump(TraceExtension.Dump.ALWAYS)
        .dumpFormats("json")
        .build();

    @Test
    void startsAtNine(MockClock clock) {
      assertThat(clock.instant()).isEqualTo(Instant.parse("2024-03-01T09:00:00Z"));
    }
  }

  @Test
  void theFirstTestPasses() {
    assertThat(Kit.run(reports, CheckoutTest.class).status("recordsOnePaymentCall")).isEqualTo(Status.SUCCESSFUL);
  }

  @Test
  void theFailingTestShowsTheTreeUnderItsAssertionError() {
    Throwable failure = Kit.run(reports, CheckoutTest.class).failure("retriesThePaymentCallOnce");

    assertThat(failure.getSuppressed()).singleElement().extracting(Throwable::getMessage).isEqualTo(
        "trace CheckoutTest/retriesThePaymentCallOnce · 2 spans\n"
            + "└─ server checkout         +0ms  0ms  order=42\n"
            + "   └─ client payment.call  +0ms  0ms  paidAt=2000-01-01T00:00:00Z\n");
  }

  @Test
  void theSettingsExamplesWork() {
    Kit.Run traced = Kit.run(reports, TracedCheckoutTest.class);
    assertThat(traced.status("startsAtNine")).isEqualTo(Status.SUCCESSFUL);
    assertThat(traced.files("startsAtNine")).hasSize(2);

    Kit.Run built = Kit.run(reports, BuilderCheckoutTest.class);
    assertThat(built.status("startsAtNine")).isEqualTo(Status.SUCCESSFUL);
    assertThat(built.files("startsAtNine")).singleElement()
        .satisfies(file -> assertThat(file.getPath().getFileName()).hasToString("trace.json"));
  }

  @Test
  void aDumpedTraceCanBeReadBack() throws IOException {
    Kit.Run run = Kit.run(reports, CheckoutTest.class);
    Path file = run.file("retriesThePaymentCallOnce", "trace.json").orElseThrow().getPath();

    // README: "When a test fails"; docs/failure-dumps.md: "Reading trace.json"
    try (Reader in = Files.newBufferedReader(file)) {
      Trace trace = TraceJson.read(in);
      assertThat(trace).hasRootSpan("checkout").hasAttribute("order", 42L);
    }
  }
}
