package dev.traceunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Tracing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult.Status;

/**
 * The same test dumps the same bytes on every run, sequential or parallel, although its threads
 * race: the in-build check of what {@code .ci/same-dumps} shows for the example suite across JDKs.
 */
class SameDumpsTest {

  @TempDir
  Path dir;

  @ExtendWith(TraceExtension.class)
  static class RacingSample {
    @Test
    void fansOutAndFails() throws Exception {
      ExecutorService pool = Tracing.wrap(Executors.newFixedThreadPool(3));
      try (SpanHandle order = Tracing.span("order").attributes(Map.of("model", "m", "reason", "r", "tier", 2)).start()) {
        CountDownLatch allStarted = new CountDownLatch(3);
        List<Future<Object>> calls = List.of("inventory", "shipping", "pricing").stream().map(name -> pool.submit(() -> {
          // All three start at the same mock instant, in whatever order the threads get there.
          try (SpanHandle call = Tracing.start(SpanKind.CLIENT, name + ".call")) {
            call.attribute("name", name);
            allStarted.countDown();
            allStarted.await(5, TimeUnit.SECONDS);
            if (name.equals("pricing")) {
              call.error(new IllegalStateException("no price for sku-2"));
            }
          }
          return (Object) name;
        })).toList();
        for (Future<Object> call : calls) {
          call.get(5, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdown();
      }
      Tracing.call(SpanKind.INTERNAL, "checkout", () -> {
        throw new IllegalStateException("checkout failed");
      });
    }
  }

  @Test
  void racingThreadsGiveTheSameDumpFilesOnEveryRunSequentialOrParallel() throws IOException {
    Map<String, String> sequential = Map.of("traceunit.dump.formats", "text,json,otlp", "traceunit.report", "false");
    Map<String, String> parallel = new HashMap<>(sequential);
    parallel.put("junit.jupiter.execution.parallel.enabled", "true");
    parallel.put("junit.jupiter.execution.parallel.mode.default", "concurrent");

    Map<String, String> first = dumps(dir.resolve("run-0"), sequential);
    assertThat(first).containsOnlyKeys("trace.txt", "trace.json", "trace.otlp.json");
    // By the pools' thread names, which follow the order the tasks were submitted in; Map.of in key order.
    assertThat(first.get("trace.txt")).contains("│  ├─ client inventory.call", "│  ├─ client shipping.call",
        "│  └─ client pricing.call", "model=m  reason=r  tier=2");
    assertThat(first.get("trace.json")).contains("\"threadName\" : \"pool-thread-1\"", "\"threadName\" : \"test\"")
        .doesNotContain("\tat java.", "org.junit.", "ForkJoinPool");
    for (int run = 1; run <= 6; run++) {
      assertThat(dumps(dir.resolve("run-" + run), run % 2 == 0 ? sequential : parallel))
          .as("run %d (%s)", run, run % 2 == 0 ? "sequential" : "parallel").isEqualTo(first);
    }
  }

  /** The dump files of one run of the sample, by name. */
  private static Map<String, String> dumps(Path root, Map<String, String> configuration) throws IOException {
    Kit.Run run = Kit.run(root, configuration, RacingSample.class);
    assertThat(run.status("fansOutAndFails")).isEqualTo(Status.FAILED);
    Map<String, String> files = new TreeMap<>();
    for (var file : run.files("fansOutAndFails")) {
      files.put(file.getPath().getFileName().toString(), Files.readString(file.getPath()));
    }
    return files;
  }
}
