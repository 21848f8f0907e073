/**
 * AssertJ assertions over recorded span trees: navigate the tree the way it reads
 * ({@code hasRootSpan("checkout").child("payment.call", 1)}) and get the whole tree, with the span
 * under test marked, in every failure. Start at {@link dev.traceunit.assertions.TraceAssertions}.
 */
package dev.traceunit.assertions;
