package dev.traceunit.core.internal;

import dev.traceunit.core.SpanCollector;
import java.util.function.Supplier;

/**
 * The collector the calling thread records into (its usable context's, else the fallback), for
 * modules that route something other than spans by it, such as printed lines. Core's thread
 * context hands over its look-up when it is loaded. Not API: may change.
 */
public final class ActiveCollector {

  private static volatile Supplier<SpanCollector> lookUp;

  private ActiveCollector() {}

  /** {@return the collector the calling thread records into, or null if there is none} */
  public static SpanCollector ofThisThread() {
    Supplier<SpanCollector> answer = lookUp;
    if (answer == null) {
      // Not in a static initializer of this class: two threads loading both classes in opposite
      // orders would wait for each other.
      try {
        Class.forName("dev.traceunit.core.ThreadContext", true, ActiveCollector.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("dev.traceunit.core.ThreadContext is part of traceunit-core, as this class is",
            e);
      }
      answer = lookUp;
    }
    return answer.get();
  }

  /**
   * Called once, by core's thread context when its class is loaded.
   *
   * @param activeCollector answers with the calling thread's collector, or null
   */
  public static void answerWith(Supplier<SpanCollector> activeCollector) {
    if (lookUp == null) {
      lookUp = activeCollector;
    }
  }
}
