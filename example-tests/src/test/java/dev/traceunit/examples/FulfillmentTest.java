package dev.traceunit.examples;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static dev.traceunit.assertions.TraceAssertions.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.assertions.SiblingOrder;
import dev.traceunit.assertions.Snapshot;
import dev.traceunit.clock.MockClock;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Spans;
import dev.traceunit.examples.FulfillmentService.Fulfillment;
import dev.traceunit.junit.Traced;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@Traced
class FulfillmentTest {

  private final ExecutorService pool = Executors.newFixedThreadPool(2);

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  @Test
  void inventoryAndShippingAreCalledAtTheSameTime(Spans spans, MockClock clock) {
    Gate inventoryAnswers = new Gate();
    Gate shippingAnswers = new Gate();
    FulfillmentService service = new FulfillmentService(
        skus -> { inventoryAnswers.pass(); return "res-7"; },
        postcode -> { shippingAnswers.pass(); return 495L; },
        pool);

    CompletableFuture<Fulfillment> fulfillment = service.prepare("42", List.of("sku-1", "sku-2"), "10115");
    await(spans).untilSpanCount(3); // both calls are in flight
    clock.advanceTime(Duration.ofMillis(50));
    inventoryAnswers.open();
    await(spans).untilSpanEnded("inventory.reserve");
    clock.advanceTime(Duration.ofMillis(30));
    shippingAnswers.open();

    await(spans).untilSpanEnded("fulfillment.prepare", prepare -> prepare.isOk().hasDuration(Duration.ofMillis(80)));
    assertThat(fulfillment).isCompletedWithValue(new Fulfillment("res-7", 495));
    assertThat(spans).hasRootSpan("fulfillment.prepare")
        .hasChildSatisfying("inventory.reserve", call -> call.hasKind(SpanKind.CLIENT).startedAt(Duration.ZERO)
            .hasDuration(Duration.ofMillis(50)))
        .hasChildSatisfying("shipping.quote", call -> call.hasKind(SpanKind.CLIENT).startedAt(Duration.ZERO)
            .hasDuration(Duration.ofMillis(80)));
    assertThat(spans).hasSpan("inventory.reserve").overlaps("shipping.quote"); // really in parallel
    assertThat(spans).hasNoOpenSpans().hasNoErrors();
    // The two calls started at the same instant on two threads: compared as a set.
    assertThat(spans).matchesSnapshot(Snapshot.of().siblings(SiblingOrder.ANY).ignoringFields("threadName"));
  }

  @Test
  void aFailedReservationFailsThePreparationAndIsRecordedOnItsOwnSpan(Spans spans) {
    FulfillmentService service = new FulfillmentService(
        skus -> { throw new IllegalStateException("out of stock: sku-2"); },
        postcode -> 495L,
        pool);

    CompletableFuture<Fulfillment> fulfillment = service.prepare("42", List.of("sku-1", "sku-2"), "10115");

    await(spans).untilSpanEnded("fulfillment.prepare", prepare -> prepare
        .isError()
        .hasError(IllegalStateException.class)
        .hasErrorMessage("out of stock: sku-2"));
    assertThat(fulfillment).isCompletedExceptionally();
    assertThat(spans).hasSpan("inventory.reserve").hasParent("fulfillment.prepare").hasError(IllegalStateException.class);
    assertThat(spans).hasSpan("shipping.quote").hasParent("fulfillment.prepare").isOk();
  }
}
