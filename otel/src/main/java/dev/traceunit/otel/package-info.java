/**
 * OpenTelemetry bridge: code instrumented with the OpenTelemetry API records into the test's
 * traceunit collector, on the test's clock, in one tree with spans recorded through
 * {@link dev.traceunit.core.Tracing}.
 *
 * <pre>{@code
 * try (TracedOpenTelemetry otel = TracedOpenTelemetry.create(collector)) {
 *   new StockClient(otel, transport).stock("sku-1"); // instrumented with the OpenTelemetry API
 * }
 * assertThat(collector).hasSpan("GET /stock/{sku}");
 * }</pre>
 */
package dev.traceunit.otel;
