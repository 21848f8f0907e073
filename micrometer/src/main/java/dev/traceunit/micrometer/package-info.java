/**
 * Micrometer Observation bridge: Observations are recorded into the test's traceunit collector, on
 * the test's clock, in one tree with spans recorded through {@link dev.traceunit.core.Tracing} and
 * OpenTelemetry. A test declares an {@code ObservationRegistry} parameter; in a Spring Boot test the
 * application's own registry records into the running test.
 *
 * <pre>{@code
 * @Test
 * void placesTheOrder(ObservationRegistry registry, Spans spans) {
 *   new OrderService(registry).place(order);
 *   assertThat(spans).hasRootSpan("order.place");
 * }
 * }</pre>
 */
package dev.traceunit.micrometer;
