/**
 * A small application instrumented with traceunit: a checkout service with a retrying payment
 * client, an async fan-out, an LLM agent loop and a batch job. It records spans only through
 * {@link dev.traceunit.core.Tracing}; its tests show how the spans are asserted.
 */
package dev.traceunit.examples;
