package dev.traceunit.otel;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.traceunit.otel.internal.OpenTelemetryPlugin;
import dev.traceunit.core.Spans;
import dev.traceunit.junit.TraceExtension;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.testkit.engine.EngineTestKit;

/** The opt-in global SDK, run through the engine so the setting applies to sample tests only. */
@Isolated
class GlobalOpenTelemetryTest {

  @Test
  void withTheSettingEachTestsSdkIsTheGlobalOneUntilTheTestEnds() {
    EngineTestKit.engine("junit-jupiter")
        .configurationParameter(OpenTelemetryPlugin.GLOBAL.name(), "true")
        .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
        .selectors(selectClass(ReadsTheGlobal.class))
        .execute()
        .testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));

    assertThat(GlobalOpenTelemetry.isSet()).isFalse();
  }

  @Test
  void withoutTheSettingTheGlobalIsLeftAlone() {
    EngineTestKit.engine("junit-jupiter")
        .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
        .selectors(selectClass(LeavesTheGlobalAlone.class))
        .execute()
        .testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
  }

  @Test
  void aBadSettingFailsTheTestWithAMessageNamingKeyAndValue() {
    EngineTestKit.engine("junit-jupiter")
        .configurationParameter(OpenTelemetryPlugin.GLOBAL.name(), "yes")
        .selectors(selectClass(LeavesTheGlobalAlone.class))
        .execute()
        .testEvents().assertThatEvents().haveExactly(1, event(test(), finishedWithFailure(
            instanceOf(ExtensionConfigurationException.class),
            message("traceunit.otel.global is 'yes' but must be true or false"))));
  }

  @ExtendWith(TraceExtension.class)
  static class ReadsTheGlobal {
    @Test
    void first(Spans spans) {
      GlobalOpenTelemetry.getTracer("code").spanBuilder("first.span").startSpan().end();
      assertThat(spans).hasSize(1).hasSpan("first.span");
    }

    @Test
    void second(Spans spans, OpenTelemetry otel) {
      GlobalOpenTelemetry.getTracer("code").spanBuilder("second.span").startSpan().end();
      otel.getTracer("param").spanBuilder("from.parameter").startSpan().end();
      assertThat(spans).hasSize(2).doesNotHaveSpan("first.span");
    }
  }

  @ExtendWith(TraceExtension.class)
  static class LeavesTheGlobalAlone {
    @Test
    void parameterSdkIsNotGlobal(OpenTelemetry otel, Spans spans) {
      assertThat(GlobalOpenTelemetry.isSet()).isFalse();
      otel.getTracer("param").spanBuilder("local").startSpan().end();
      assertThat(spans).hasSpan("local");
    }
  }
}
