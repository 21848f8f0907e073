package dev.traceunit.assertions;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static dev.traceunit.assertions.TraceAssertions.await;
import static org.assertj.core.api.Assertions.within;

import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.Spans;
import dev.traceunit.core.Tracing;
import java.io.IOException;
import java.time.Duration;
import org.assertj.core.api.junit.jupiter.InjectSoftAssertions;
import org.assertj.core.api.junit.jupiter.SoftAssertionsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The examples of the README's assertion sections, kept compiling and passing. */
@ExtendWith(SoftAssertionsExtension.class)
class ReadmeExamplesTest {

  private final Spans spans = Checkout.recorded().collector;

  @InjectSoftAssertions
  TraceSoftAssertions softly;

  @Test
  void treeAssertions() {
    assertThat(spans)
        .hasNoProblems()
        .hasTreeShape("""
            checkout [server]
              payment.call [client]
              payment.call [client]
              model.switch
              receipt
            """);
    assertThat(spans).hasRootSpan("checkout")
        .hasChildrenNamed("payment.call", "payment.call", "model.switch", "receipt")
        .child("payment.call", 0).isError().hasError(IOException.class).hasEvent("retry.scheduled")
        .parent()
        .child("payment.call", 1).isOk().hasAttribute("attempt", 2).hasAttributeCloseTo("amount", 20.0, within(0.05));
    assertThat(spans).spansNamed("payment.call").hasSize(2)
        .allSpansSatisfy(call -> call.hasParent("checkout"));
  }

  @Test
  void softAssertions() {
    softly.assertThat(spans).hasSpans("payment.call", 2);
    softly.assertThat(spans).hasSpan("receipt").hasDuration(Duration.ofMillis(5));
  }

  @Test
  void awaitingSpansFromOtherThreads() throws InterruptedException {
    SpanCollector collector = new Checkout().collector;
    Thread worker;
    try (var scope = collector.activate()) {
      worker = new Thread(Tracing.wrap(() -> Tracing.run("email.send", () -> {})));
      worker.start();
    }
    RecordedSpan sent = await(collector).atMost(Duration.ofSeconds(5)).untilSpanEnded("email.send");
    await(collector).untilAsserted(trace -> trace.hasSpan("email.send").isOk());
    worker.join();
    assertThat(sent).isEnded();
  }
}
