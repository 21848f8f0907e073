package dev.traceunit.benchmarks;

import dev.traceunit.core.internal.PoolThreads;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The one-off cost a thread pays to be recognised as a pool worker, or not: once per thread, at its
 * first span under an inherited context (the answer is kept on the thread). {@code notAPool} walks
 * the whole stack of JMH's thread without a match (the worst case); {@code poolWorker} asks on a
 * {@code ThreadPoolExecutor} worker, including the hand-over to it and back.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class PoolThreadBenchmark {

  private ExecutorService pool;

  @Setup
  public void startPool() {
    pool = Executors.newSingleThreadExecutor();
  }

  @TearDown
  public void stopPool() {
    pool.shutdownNow();
  }

  @Benchmark
  public boolean notAPool() {
    return PoolThreads.isPoolWorker();
  }

  @Benchmark
  public boolean poolWorker() throws Exception {
    return pool.submit(PoolThreads::isPoolWorker).get();
  }

  @Benchmark
  public boolean handOverOnly() throws Exception {
    return pool.submit(() -> Boolean.TRUE).get();
  }
}
