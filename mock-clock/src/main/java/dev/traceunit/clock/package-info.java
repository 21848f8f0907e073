/**
 * Deterministic time for tests: {@link dev.traceunit.clock.MockClock}, a {@link java.time.Clock}
 * with separate wall and monotonic time and a scheduler that runs in virtual time.
 */
package dev.traceunit.clock;
