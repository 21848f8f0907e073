/**
 * OpenTelemetry bridge: code instrumented with the OpenTelemetry API records into the test's
 * traceunit collector, on the test's clock, in one tree with spans recorded through
 * {@link dev.traceunit.core.Tracing}.
 *
 * <pre>{@code
 * try (TracedOpenTelemetry otel = TracedOpenTelemetry.create(collector)) {
 *   new PaymentClient(otel).charge(order);       // instrumented with the OpenTelemetry API
 * }
 * assertThat(collector).hasRootSpan("POST /charge");
 * }</pre>
 */
package dev.traceunit.otel;
