package dev.traceunit.core;

/**
 * A supplier that may throw a checked exception, for {@link Tracing#call}.
 *
 * @param <T> the result type
 * @param <E> the exception it may throw
 */
@FunctionalInterface
public interface ThrowingSupplier<T, E extends Throwable> {
  /**
   * Computes the result.
   *
   * @return the result
   * @throws E if the computation fails
   */
  T get() throws E;
}
