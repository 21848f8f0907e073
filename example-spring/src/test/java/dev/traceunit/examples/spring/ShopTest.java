package dev.traceunit.examples.spring;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.junit.TraceExtension;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/**
 * What every test of the shop shares: one application context (Spring caches it across the test
 * classes), the stock stub, and a backoff that advances the running test's mock clock instead of
 * sleeping. traceunit-micrometer on the test class path routes the application's Observations into
 * whichever test sent the request.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(MockClockBackoff.class)
@ExtendWith(TraceExtension.class)
abstract class ShopTest {

  /** Every application context a test of the shop ran against: Spring's cache makes it one. */
  static final Set<ApplicationContext> CONTEXTS = ConcurrentHashMap.newKeySet();

  @Autowired
  ApplicationContext application;

  @LocalServerPort
  int port;

  @Autowired
  RestClient.Builder restClients;

  @DynamicPropertySource
  static void stockService(DynamicPropertyRegistry properties) {
    properties.add("shop.stock.url", StockStub.instance()::url);
  }

  @BeforeEach
  void registerClockAndContext(SpanCollector collector, MockClock clock) {
    MockClockBackoff.CLOCKS.put(collector.traceId(), clock);
    CONTEXTS.add(application);
  }

  @AfterEach
  void unregisterClock(SpanCollector collector) {
    MockClockBackoff.CLOCKS.remove(collector.traceId());
  }

  /** Sends {@code POST /orders} as a user's client would, through an observed {@link RestClient}. */
  Order order(String sku, int quantity) {
    return restClients.baseUrl("http://127.0.0.1:" + port).build()
        .post().uri("/orders?sku={sku}&quantity={quantity}", sku, quantity)
        .retrieve().body(Order.class);
  }
}
