package dev.traceunit.examples.spring;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static dev.traceunit.assertions.TraceAssertions.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.core.Spans;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Two tests share the cached application context and its server threads at the same time: the stub
 * answers neither request until both have arrived. Each test's trace holds its own request only.
 */
@Execution(ExecutionMode.CONCURRENT)
class ConcurrentRequestsTest extends ShopTest {

  @Test
  void first(Spans spans) {
    order("together-a", 1);
    assertOnlyItsOwnRequest(spans, "together-a");
  }

  @Test
  void second(Spans spans) {
    order("together-b", 1);
    assertOnlyItsOwnRequest(spans, "together-b");
  }

  private void assertOnlyItsOwnRequest(Spans spans, String sku) {
    assertThat(CONTEXTS).containsExactly(application); // one cached context for every test of the shop
    await(spans).untilSpanEnded("http.server.requests");
    assertThat(spans).hasSize(5).hasNoProblems()
        .hasSpan("order.place")
        .child("http.client.requests")
        .hasAttributeSatisfying("http.url", url -> assertThat(url.toString()).contains("/stock/" + sku + "/"));
  }
}
