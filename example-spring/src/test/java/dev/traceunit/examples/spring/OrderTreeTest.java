package dev.traceunit.examples.spring;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static dev.traceunit.assertions.TraceAssertions.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Spans;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OrderTreeTest extends ShopTest {

  @Test
  void oneRequestIsOneTreeFromTheServerThroughTheServiceToTheStockCallAndTheDatabase(Spans spans) {
    Order order = order("sku-1", 2);

    assertThat(order.sku()).isEqualTo("sku-1");
    await(spans).untilSpanEnded("http.server.requests"); // the server ends its span after answering
    assertThat(spans).hasTreeShape("""
        http.client.requests [client]
          http.server.requests [server]
            order.place
              http.client.requests [client]
              db.query
        """);
    assertThat(spans).hasNoProblems();
    assertThat(spans).hasSpan("order.place")
        .hasAttribute("micrometer.contextual_name", "place order")
        .hasAttribute("method", "place")
        .child("db.query")
        .hasAttribute("db.system", "h2")
        .hasAttribute("micrometer.high_cardinality_keys", java.util.List.of("db.statement"));
  }

  @Test
  void aFailedStockCallIsRetriedAfterItsBackoffOnTheMockClock(Spans spans) {
    StockStub.instance().failNext("sku-flaky", 1);

    order("sku-flaky", 1);

    await(spans).untilSpanEnded("http.server.requests");
    assertThat(spans).hasSpan("order.place")
        .hasDuration(StockClient.FIRST_BACKOFF) // the only time that passed was the backoff
        .hasChildrenNamed("http.client.requests", "http.client.requests", "db.query")
        .child("http.client.requests", 1)
        .startedAt(Duration.ofMillis(200))
        .hasAttribute("status", "204");
    assertThat(spans).hasSpan("order.place").child("http.client.requests", 0)
        .hasKind(SpanKind.CLIENT)
        .hasAttribute("status", "503")
        .isError();
  }
}
