package dev.traceunit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The first span a JVM records may be deep in an overflowing stack: traceunit's classes loaded there
 * must still work, and keep working. Only a fresh JVM shows it (in this suite other tests load them
 * first), so the scenario runs in one.
 */
class FirstUseDeepTest {

  /** Run in a fresh JVM: an overflow through spans, then an ordinary span; prints what happened. */
  public static void main(String[] args) {
    SpanCollector collector = new SpanCollector("t-fresh", TimeSource.of(() -> 0L, () -> Instant.EPOCH),
        Limits.defaults());
    Throwable thrown = null;
    try (Scope scope = collector.activate()) {
      descend();
    } catch (Throwable t) {
      thrown = t;
    }
    try (Scope scope = collector.activate()) {
      Tracing.run("after", () -> { });
    }
    Trace trace = collector.finish();
    System.out.println("thrown=" + (thrown == null ? "nothing" : thrown.getClass().getName())
        + " after=" + trace.named("after").size());
  }

  private static int descend() {
    return Tracing.call(SpanKind.INTERNAL, "descend", () -> descend() + 1);
  }

  @Test
  void anOverflowThroughTheFirstSpansOfAJvmReachesTheCallerAndTraceunitStillWorks() throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process process = new ProcessBuilder(java, "-Xss512k", "-cp", System.getProperty("java.class.path"),
        FirstUseDeepTest.class.getName()).redirectErrorStream(true).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the fresh JVM ended").isTrue();
    String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(printed).as("what the fresh JVM printed").contains("thrown=java.lang.StackOverflowError after=1");
    assertThat(process.exitValue()).isZero();
  }
}
