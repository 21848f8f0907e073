/**
 * A small Spring Boot web application whose tests show traceunit-micrometer: the application's own
 * Observations (HTTP server, {@code @Observed} service, {@code RestClient}, database) recorded in
 * the running test's trace.
 */
package dev.traceunit.examples.spring;
