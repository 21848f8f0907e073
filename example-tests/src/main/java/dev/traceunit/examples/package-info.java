/**
 * A small application instrumented with traceunit: a checkout service with a retrying payment
 * client, an async fan-out, an LLM agent loop and a batch job. They record spans only through
 * {@link dev.traceunit.core.Tracing}; {@link dev.traceunit.examples.StockClient} instead uses the
 * OpenTelemetry API, as much code does. The tests show how the spans are asserted.
 */
package dev.traceunit.examples;
