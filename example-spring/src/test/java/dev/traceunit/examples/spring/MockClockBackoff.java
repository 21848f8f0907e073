package dev.traceunit.examples.spring;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.Tracing;
import dev.traceunit.examples.spring.ShopApplication.Backoff;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * A backoff that advances the mock clock of the test whose request is being served instead of
 * sleeping. The bean is shared by every test of the cached context, the clocks are not: the
 * request's current span says whose trace, and so whose clock, it is.
 */
@TestConfiguration(proxyBeanMethods = false)
class MockClockBackoff {

  /** The mock clock of each running test, by its trace id; {@link ShopTest} keeps it. */
  static final Map<String, MockClock> CLOCKS = new ConcurrentHashMap<>();

  @Bean
  @Primary
  Backoff mockClockBackoff() {
    return delay -> {
      String traceId = Tracing.current().traceId();
      MockClock clock = CLOCKS.get(traceId);
      if (clock == null) {
        throw new IllegalStateException("no running test's mock clock for trace '" + traceId + "'");
      }
      clock.advanceTime(delay);
    };
  }
}
