package consumer;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;
import static org.mockito.Mockito.when;

import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Tracing;
import dev.traceunit.junit.TraceExtension;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;

/** Every test here fails on purpose; consumers/run.sh reads their traces out of Surefire's XML. */
class FailingShapesTest {

  @Nested
  @ExtendWith(TraceExtension.class)
  class Factory {
    @TestFactory
    Stream<DynamicTest> orders() {
      return Stream.of(dynamicTest("second order", () -> {
        Tracing.run(SpanKind.INTERNAL, "dynamic.order", () -> {});
        throw new AssertionError("the second order is lost");
      }));
    }
  }

  @Nested
  @ExtendWith(TraceExtension.class)
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class SetUp {
    @BeforeAll
    void startServer() {
      Tracing.run(SpanKind.SERVER, "server.start", () -> {});
      throw new IllegalStateException("port in use");
    }

    @Test
    void neverRuns() {}
  }

  @Nested
  @ExtendWith(TraceExtension.class)
  class Recursion {
    @Test
    void overflows() {
      descend(0);
    }

    int descend(int depth) {
      return Tracing.call(SpanKind.INTERNAL, "descend", () -> descend(depth + 1) + 1);
    }
  }

  @Nested
  @ExtendWith(MockitoExtension.class)
  @ExtendWith(TraceExtension.class)
  class MockitoFirst {
    @Mock
    Supplier<String> prices;

    @Test
    void stubsTooMuch() {
      when(prices.get()).thenReturn("42");
      Tracing.run(SpanKind.INTERNAL, "mockito.checkout", () -> {});
    }
  }
}
