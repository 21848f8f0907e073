package dev.traceunit.core;

/**
 * Undoes an activation when closed: the previous current span and collector of the thread come
 * back. Use with try-with-resources on the thread that opened it.
 *
 * <pre>{@code
 * try (Scope scope = handle.activate()) {
 *   Tracing.run("step", this::work); // a child of handle
 * }
 * }</pre>
 */
@FunctionalInterface
public interface Scope extends AutoCloseable {

  /** A scope that restores nothing. */
  Scope NOOP = () -> {};

  /** Restores what was current before this scope opened; never throws. */
  @Override
  void close();
}
