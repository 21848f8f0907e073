package dev.traceunit.core.internal;

import java.util.Iterator;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * Recognises threads that run one task after another for whoever submits them (pool workers), as
 * opposed to threads started for one piece of work. A context a pool worker inherited from the
 * thread that happened to start it says nothing about the tasks it runs later. Not API: may change.
 *
 * <p>Decided from the thread's class and the frames it runs in: a worker of any
 * {@code ThreadPoolExecutor} (the JDK's, so also {@code ScheduledThreadPoolExecutor}, OkHttp's
 * dispatcher and Reactor's schedulers; Tomcat's copy), a {@code ForkJoinPool} worker, a
 * {@code java.util.Timer} thread, Netty's event loops and Jetty's {@code QueuedThreadPool}; except
 * the worker of an executor made for a single task (JUnit's preemptive timeout, Awaitility).
 * Walking the stack costs microseconds: callers decide once per thread and keep the answer.
 */
public final class PoolThreads {

  private static final StackWalker WALKER = StackWalker.getInstance();

  private PoolThreads() {}

  /** Whether the calling thread is a reused pool worker; call it on the thread in question. */
  public static boolean isPoolWorker() {
    Thread thread = Thread.currentThread();
    if (thread instanceof ForkJoinWorkerThread || thread.getClass().getName().equals("java.util.TimerThread")) {
      return true;
    }
    // From the top of the stack down: a one-task executor's frames sit above its pool's worker loop.
    return WALKER.walk(frames -> {
      for (Iterator<StackWalker.StackFrame> it = frames.iterator(); it.hasNext(); ) {
        String className = it.next().getClassName();
        if (isOneTaskFrame(className)) {
          return false;
        }
        if (isPoolFrame(className)) {
          return true;
        }
      }
      return false;
    });
  }

  /**
   * Frames of code that creates an executor for one task and shuts it down after: JUnit's
   * {@code assertTimeoutPreemptively} (which also runs {@code @Timeout(threadMode = SEPARATE_THREAD)}
   * tests) and Awaitility's condition poller (a fresh thread per {@code await()} by default). Such a
   * worker belongs to the test like a thread the test started.
   */
  static boolean isOneTaskFrame(String className) {
    return className.startsWith("org.junit.jupiter.api.AssertTimeoutPreemptively")
        || className.startsWith("org.awaitility.core.ConditionAwaiter");
  }

  static boolean isPoolFrame(String className) {
    return className.endsWith("ThreadPoolExecutor$Worker")
        || className.equals("io.netty.util.concurrent.SingleThreadEventExecutor")
        || className.startsWith("io.netty.util.concurrent.SingleThreadEventExecutor$")
        || className.startsWith("org.eclipse.jetty.util.thread.QueuedThreadPool");
  }
}
