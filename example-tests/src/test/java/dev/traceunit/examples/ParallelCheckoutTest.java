package dev.traceunit.examples;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.Spans;
import dev.traceunit.examples.CheckoutService.CheckoutRequest;
import dev.traceunit.examples.CheckoutService.CheckoutResponse;
import dev.traceunit.junit.Traced;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs its tests at the same time (parallel execution is enabled in junit-platform.properties):
 * each test still sees only its own spans and moves only its own clock.
 */
@Traced
@Execution(ExecutionMode.CONCURRENT)
class ParallelCheckoutTest {

  @ParameterizedTest(name = "payment fails {0} time(s)")
  @ValueSource(ints = {0, 1, 2})
  void eachTestSeesOnlyItsOwnRetries(int failures, Spans spans, MockClock clock) {
    PaymentClient payments = new PaymentClient(new FlakyGateway(clock, Duration.ofMillis(120), failures),
        clock.scheduler(), 3, Duration.ofMillis(100), Duration.ofSeconds(2));
    CompletableFuture<CheckoutResponse> response =
        new CheckoutService(payments, clock).handle(new CheckoutRequest("order-" + failures, 1999));

    clock.advanceTime(Duration.ofSeconds(1));

    assertThat(response.join().status()).isEqualTo(200);
    assertThat(spans).hasSize(1 + failures + 1)
        .hasSpans("payment.charge", failures + 1)
        .hasRootSpan("POST /checkout").hasAttribute("order.id", "order-" + failures);
  }

  @RepeatedTest(5)
  void anAgentRunNextToTheCheckoutsKeepsItsOwnTrace(Spans spans, MockClock clock) {
    ScriptedModel model = new ScriptedModel(clock, Duration.ofMillis(300), Agent.Completion.answer("Hi!", 10, 2));

    new Agent(model, new Tools(Map.of()), 3).answer("Hello?");

    assertThat(spans).hasTreeShape("""
        agent.run
          model.routed
          llm.chat [llm_call]
        """);
  }
}
