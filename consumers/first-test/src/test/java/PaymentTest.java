import static dev.traceunit.assertions.TraceAssertions.assertThat;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Spans;
import dev.traceunit.core.Tracing;
import dev.traceunit.junit.TraceExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TraceExtension.class)
class PaymentTest {

  /** The code under test: a payment whose first charge fails and is retried 100 ms later. */
  static class Payment {
    private final ScheduledExecutorService scheduler;

    Payment(ScheduledExecutorService scheduler) {
      this.scheduler = scheduler;
    }

    void pay(String order) {
      try (SpanHandle checkout = Tracing.start(SpanKind.SERVER, "checkout")) {
        checkout.attribute("order", order);
        if (!charge(1)) {
          scheduler.schedule(() -> charge(2), 100, TimeUnit.MILLISECONDS);
        }
      }
    }

    private boolean charge(int attempt) {
      try (SpanHandle charge = Tracing.start(SpanKind.CLIENT, "charge")) {
        charge.attribute("attempt", attempt);
        if (attempt == 1) {
          charge.error(new IOException("connection reset"));
          return false;
        }
        return true;
      }
    }
  }

  @Test
  void aFailedChargeIsRetriedAfter100Milliseconds(Spans spans, MockClock clock) {
    new Payment(Tracing.wrap(clock.scheduler())).pay("42");

    clock.advanceTime(Duration.ofSeconds(1)); // runs the retry at +100 ms, at once, on this thread

    assertThat(spans).hasTreeShape("""
        checkout [server]
          charge [client]
          charge [client]
        """);
    assertThat(spans).hasRootSpan("checkout").child("charge", 0).isError().hasError(IOException.class);
    assertThat(spans).hasRootSpan("checkout").child("charge", 1)
        .startedAt(Duration.ofMillis(100)).isOk().hasAttribute("attempt", 2);
  }
}
