/**
 * Recording spans from production code and reading them back in tests.
 *
 * <p>Production code calls the static facade {@link dev.traceunit.core.Tracing}; it costs next to
 * nothing and never throws when no {@link dev.traceunit.core.SpanCollector} is active. Tests
 * activate a collector, run the code and read an immutable {@link dev.traceunit.core.Trace}:
 *
 * <pre>{@code
 * SpanCollector collector = new SpanCollector();
 * try (Scope scope = collector.activate()) {
 *   try (SpanHandle span = Tracing.start(SpanKind.SERVER, "checkout")) {
 *     span.attribute("order", 42);
 *   }
 * }
 * System.out.println(collector.snapshot().render());
 * }</pre>
 */
package dev.traceunit.core;
