package dev.traceunit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.Tracing;
import dev.traceunit.junit.Traced;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A Logback console appender (logback-test.xml) is captured: it looks System.out up on every write. */
class LogbackCaptureTest {

  @TempDir
  Path reports;

  @Traced(captureOutput = "true")
  static class Sample {
    static final Logger log = LoggerFactory.getLogger("checkout");
    static SpanCollector collector;

    @Test
    void logsWhileHandling(SpanCollector spans) {
      collector = spans;
      try (SpanHandle handle = Tracing.start("handle")) {
        log.info("order {} accepted", 42);
      }
    }
  }

  @Test
  void aLogbackConsoleAppendersLinesBecomeLogEventsOfTheCurrentSpan() {
    PrintStream real = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream quiet = new PrintStream(printed, true, StandardCharsets.UTF_8);
    System.setOut(quiet);
    try {
      Runs.run(Runs.into(reports), Map.of(), Sample.class);
      assertThat(System.out).isSameAs(quiet);
    } finally {
      System.setOut(real);
    }
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("INFO checkout - order 42 accepted");
    RecordedSpan handle = Sample.collector.snapshot().named("handle").get(0);
    assertThat(handle.events()).singleElement().satisfies(event -> {
      assertThat(event.name()).isEqualTo("log");
      assertThat(event.attributes()).isEqualTo(Map.of("stream", "stdout", "text", "INFO checkout - order 42 accepted"));
    });
  }
}
