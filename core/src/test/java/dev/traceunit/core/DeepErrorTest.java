package dev.traceunit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One exception passing up through many spans: recorded once, and never replaced by traceunit's own. */
class DeepErrorTest {

  private final SpanCollector collector =
      new SpanCollector("t-deep", TimeSource.of(() -> 0L, () -> Instant.EPOCH), Limits.defaults());

  private static int descend(int depth) {
    return Tracing.call(SpanKind.INTERNAL, "descend", () -> descend(depth + 1) + 1);
  }

  @Test
  void aStackOverflowThroughThousandsOfSpansReachesTheCallerUnchangedAndIsPrintedOnce() {
    Throwable thrown;
    try (Scope scope = collector.activate()) {
      thrown = catchThrowable(() -> descend(0));
    }

    assertThat(thrown).isExactlyInstanceOf(StackOverflowError.class);
    List<RecordedSpan> failed = collector.snapshot().spans().stream().filter(s -> s.error() != null).toList();
    assertThat(failed.size()).isGreaterThan(1000);
    assertThat(failed).allSatisfy(span -> assertThat(span.error().type()).isEqualTo(StackOverflowError.class.getName()));
    // Near the overflow, printing the error can overflow the stack again: those few spans get a
    // stand-in saying so. Each StackOverflowError object is printed once, by the first span up with
    // room to print it, and every span above names the span that holds its stack trace.
    long printed = failed.stream().filter(span -> span.error().stackTrace().startsWith("java.lang.StackOverflowError")
        && !span.error().stackTrace().contains("(printing it threw ")).count();
    long standIns = failed.stream().filter(span -> span.error().stackTrace().contains("(printing it threw ")).count();
    long pointers = failed.stream().filter(span -> span.error().stackTrace()
        .matches("\\(the same exception as on span \\d+ descend, where its whole stack trace is recorded\\)")).count();
    assertThat(printed).isBetween(1L, 20L);
    assertThat(standIns).isLessThan(100L);
    assertThat(printed + standIns + pointers).isEqualTo(failed.size());
  }

  @Test
  void theSameExceptionOnANestedSpanAndItsParentIsPrintedOnTheInnerOne() throws IOException {
    IOException reset = new IOException("reset");
    try (Scope scope = collector.activate()) {
      catchThrowable(() -> Tracing.call(SpanKind.SERVER, "checkout",
          () -> Tracing.call(SpanKind.CLIENT, "payment.call", () -> {
            throw reset;
          })));
    }

    Trace trace = collector.snapshot();
    ErrorInfo inner = trace.named("payment.call").get(0).error();
    ErrorInfo outer = trace.named("checkout").get(0).error();
    assertThat(inner.stackTrace()).startsWith("java.io.IOException: reset").contains("\tat ");
    assertThat(outer.type()).isEqualTo("java.io.IOException");
    assertThat(outer.message()).isEqualTo("reset");
    assertThat(outer.stackTrace())
        .isEqualTo("(the same exception as on span 2 payment.call, where its whole stack trace is recorded)");
    assertThat(trace.named("checkout").get(0).events().get(0).attributes().get("exception.stacktrace"))
        .isEqualTo(outer.stackTrace());
  }
}
