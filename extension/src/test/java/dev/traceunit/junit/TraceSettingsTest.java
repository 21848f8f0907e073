package dev.traceunit.junit;

import static dev.traceunit.junit.TraceExtensionTest.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.Limits;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.Spans;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult.Status;

class TraceSettingsTest {

  @TempDir
  Path reports;

  /** What each sample test saw: its clock's start and its collector's limits. */
  static final List<Object[]> seen = new CopyOnWriteArrayList<>();

  static void see(String test, MockClock clock, SpanCollector collector) {
    seen.add(new Object[] {test, clock.instant(), collector.limits()});
  }

  static Object[] seen(String test) {
    return seen.stream().filter(s -> s[0].equals(test)).findFirst()
        .orElseThrow(() -> new AssertionError(test + " did not run"));
  }

  @ExtendWith(TraceExtension.class)
  static class PlainSample {
    @org.junit.jupiter.api.Test
    void runs(MockClock clock, SpanCollector collector) {
      see("plain", clock, collector);
    }
  }

  @Test
  void defaultsAreTheMillenniumAndDefaultLimits() {
    seen.clear();
    Kit.run(reports, PlainSample.class);

    assertThat(seen("plain")[1]).isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
    assertThat(seen("plain")[2]).isEqualTo(Limits.defaults());
  }

  @Test
  void configurationParametersSetClockStartAndLimits() {
    seen.clear();
    Kit.run(reports, config("traceunit.clock.start", "2024-03-01T09:00:00Z",
        "traceunit.limits.max-spans", "10", "traceunit.limits.max-attributes", "0",
        "traceunit.limits.max-key-length", "1", "traceunit.limits.max-value-length", "2",
        "traceunit.limits.max-events", "3", "traceunit.limits.max-links", "4"), PlainSample.class);

    assertThat(seen("plain")[1]).isEqualTo(Instant.parse("2024-03-01T09:00:00Z"));
    assertThat(seen("plain")[2]).isEqualTo(new Limits(0, 1, 2, 3, 4, 10));
    seen.clear();
    Kit.run(reports, config("traceunit.limits.max-problems", "5", "traceunit.limits.max-name-length", "6",
        "traceunit.limits.max-value-elements", "7", "traceunit.limits.max-value-nodes", "8"), PlainSample.class);
    assertThat(seen("plain")[2]).isEqualTo(new Limits(128, 256, 131_072, 1024, 128, 1_000_000, 5, 6, 7, 8));
  }

  @Test
  void aSystemPropertyIsAConfigurationParameterToo() {
    seen.clear();
    String key = "traceunit.clock.start";
    String before = System.getProperty(key);
    System.setProperty(key, "2030-01-01T00:00:00Z");
    try {
      Kit.writingInto(reports, org.junit.platform.testkit.engine.EngineTestKit.engine("junit-jupiter"))
          .enableImplicitConfigurationParameters(true)
          .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(PlainSample.class))
          .execute();
    } finally {
      if (before == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, before);
      }
    }
    assertThat(seen("plain")[1]).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
  }

  @Test
  void aBadValueFailsTheTestNamingKeyValueAndWhatIsAllowed() {
    assertBadConfig("traceunit.dump", "sometimes",
        "traceunit.dump is 'sometimes' but must be one of on-failure, always, never");
    assertBadConfig("traceunit.clock.start", "yesterday",
        "traceunit.clock.start is 'yesterday' but must be an ISO-8601 instant such as 2000-01-01T00:00:00Z");
    assertBadConfig("traceunit.limits.max-spans", "-1",
        "traceunit.limits.max-spans is '-1' but must be a whole number in ASCII digits from 0 to 2147483647");
    assertBadConfig("traceunit.limits.max-key-length", "0",
        "traceunit.limits.max-key-length is '0' but must be a whole number in ASCII digits from 1 to 10000");
    assertBadConfig("traceunit.limits.max-events", "lots",
        "traceunit.limits.max-events is 'lots' but must be a whole number in ASCII digits from 0 to 2147483647");
    assertBadConfig("traceunit.limits.max-events", "\u0663",
        "traceunit.limits.max-events is '\u0663' but must be a whole number in ASCII digits from 0 to 2147483647");
    assertBadConfig("traceunit.limits.max-attributes", "\uff11\uff12\uff18",
        "traceunit.limits.max-attributes is '\uff11\uff12\uff18' but must be a whole number in ASCII digits from 0 to 2147483647");
    assertBadConfig("traceunit.limits.max-attributes", "99999999999999999999",
        "traceunit.limits.max-attributes is '99999999999999999999' but must be a whole number in ASCII digits from 0 to"
        + " 2147483647");
    assertBadConfig("traceunit.limits.max-spans", "2147483648",
        "traceunit.limits.max-spans is '2147483648' but must be a whole number in ASCII digits from 0 to 2147483647");
    assertBadConfig("traceunit.limits.max-value-length", "99999999999",
        "traceunit.limits.max-value-length is '99999999999' but must be a whole number in ASCII digits from 1 to 10000000");
    assertBadConfig("traceunit.redact", "  ", "traceunit.redact is a value not shown here (it may hold a secret) that is"
        + " empty, but must be none (no masking) or a comma-separated list of at least one regular expression matched"
        + " against attribute keys");
    assertBadConfig("traceunit.report.otlp", "yes", "traceunit.report.otlp is 'yes' but must be true or false");
    assertBadConfig("traceunit.report.dir", "a\0b", "traceunit.report.dir is 'a\0b' but must be a folder");
    assertBadConfig("traceunit.snapshots.missing", "skip", "traceunit.snapshots.missing is 'skip' but must be fail or pass");
    assertBadConfig("traceunit.snapshots.update", "TRUE", "traceunit.snapshots.update is 'TRUE' but must be true or false");
    assertBadConfig("traceunit.snapshots.dir", "", "traceunit.snapshots.dir is '' but must be a folder path");
    assertBadConfig("traceunit.limits.max-problems", "0",
        "traceunit.limits.max-problems is '0' but must be a whole number in ASCII digits from 1 to 2147483647");
    assertBadConfig("traceunit.report", "yes", "traceunit.report is 'yes' but must be true or false");
    assertBadConfig("traceunit.strict", "yes", "traceunit.strict is 'yes' but must be true or false");
    assertBadConfig("traceunit.dump.formats", "text,xml",
        "traceunit.dump.formats is 'text,xml' but must be a comma-separated list of at least one of text, json, otlp");
    assertBadConfig("traceunit.dump.formats", "",
        "traceunit.dump.formats is '' but must be a comma-separated list of at least one of text, json, otlp");
  }

  @Test
  void anUnknownTraceunitKeyFailsNamingTheClosestKnownOne() {
    assertUnknownKey("traceunit.strcit", "traceunit.strict");
    assertUnknownKey("traceunit.limits.maxSpans", "traceunit.limits.max-spans");
    assertUnknownKey("traceunit.dump.format", "traceunit.dump.formats");
    assertUnknownKey("traceunit.capture-output", "traceunit.capture.output");
    assertUnknownKey("traceunit.reprot.dir", "traceunit.report.dir");
  }

  @Test
  void anUnknownKeyFarFromEveryKnownOneIsListedWithTheKnownKeys() {
    String message = ConfigKeys.unknown("traceunit.completely.different", "a system property",
        ConfigKeys.known(TraceExtension.PLUGINS));
    assertThat(message).startsWith("unknown configuration parameter 'traceunit.completely.different' (a system"
        + " property) traceunit knows traceunit.capture.output, traceunit.clock.start,").doesNotContain("did you mean");
  }

  @Test
  void aKeyOfAModuleThatIsNotOnTheClassPathNamesTheModule() {
    // traceunit-otel is not on this module's class path: its documented key is unknown here.
    String message = ConfigKeys.unknown("traceunit.otel.global", "a system property", ConfigKeys.known(TraceExtension.PLUGINS));
    assertThat(message).startsWith("unknown configuration parameter 'traceunit.otel.global' (a system property):"
        + " traceunit-otel reads the traceunit.otel.* keys, and it is not on the test class path (add it as a test"
        + " dependency, or remove the key); traceunit knows traceunit.capture.output,").doesNotContain("did you mean");
    assertThat(ConfigKeys.unknown("traceunit.micrometer.x", "a system property", Set.of("traceunit.strict")))
        .contains("traceunit-micrometer reads the traceunit.micrometer.* keys");
  }

  private void assertUnknownKey(String typo, String meant) {
    String before = System.getProperty(typo);
    System.setProperty(typo, "true");
    try {
      Kit.Run run = new Kit.Run(Kit.writingInto(reports, org.junit.platform.testkit.engine.EngineTestKit.engine("junit-jupiter"))
          .enableImplicitConfigurationParameters(true)
          .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(PlainSample.class))
          .execute());
      assertThat(run.failure("runs")).isInstanceOf(ExtensionConfigurationException.class)
          .hasMessageStartingWith("unknown configuration parameter '" + typo + "' (a system property); did you mean '"
              + meant + "'? traceunit knows ");
    } finally {
      if (before == null) {
        System.clearProperty(typo);
      } else {
        System.setProperty(typo, before);
      }
    }
  }

  @Traced(maxEvents = -2)
  static class NegativeSample {
    @Test
    void runs() {}
  }

  @Traced(maxEvents = Traced.UNSET)
  static class UnsetSample {
    @Test
    void runs(SpanCollector collector) {
      assertThat(collector.limits().maxEvents()).isEqualTo(Limits.defaults().maxEvents());
    }
  }

  @Test
  void aNegativeTracedLimitOtherThanUnsetIsRejected() {
    assertThat(Kit.run(reports, NegativeSample.class).failure("runs")).hasMessage("@Traced(maxEvents) on "
        + NegativeSample.class.getName() + " is '-2' but must be a whole number in ASCII digits from 0 to 2147483647");
    Kit.run(reports, UnsetSample.class).results.testEvents().assertStatistics(stats -> stats.succeeded(1));
  }

  private void assertBadConfig(String key, String value, String message) {
    Kit.Run run = Kit.run(reports, Map.of(key, value), PlainSample.class);
    assertThat(run.failure("runs")).isInstanceOf(ExtensionConfigurationException.class).hasMessage(message);
  }

  @Traced(clockStart = "2010-01-01T00:00:00Z", maxSpans = 5)
  static class AnnotatedSample {
    @Test
    void classSettings(MockClock clock, SpanCollector collector) {
      see("class", clock, collector);
    }

    @Test
    @Traced(clockStart = "2011-01-01T00:00:00Z")
    void methodSettings(MockClock clock, SpanCollector collector) {
      see("method", clock, collector);
    }

    @Nested
    @Traced(maxEvents = 7)
    class Inner {
      @Test
      void nestedSettings(MockClock clock, SpanCollector collector) {
        see("nested", clock, collector);
      }
    }
  }

  @Test
  void tracedWinsOverConfigurationAndTheInnermostTracedWins() {
    seen.clear();
    Kit.Run run = Kit.run(reports, config("traceunit.clock.start", "2024-03-01T09:00:00Z",
        "traceunit.limits.max-spans", "10", "traceunit.limits.max-links", "3"), AnnotatedSample.class);

    assertThat(run.tests().succeeded().count()).isEqualTo(3);
    assertThat(seen("class")[1]).isEqualTo(Instant.parse("2010-01-01T00:00:00Z"));
    assertThat(seen("class")[2]).isEqualTo(Limits.defaults().withMaxSpans(5).withMaxLinks(3));
    assertThat(seen("method")[1]).isEqualTo(Instant.parse("2011-01-01T00:00:00Z"));
    assertThat(seen("nested")[1]).isEqualTo(Instant.parse("2010-01-01T00:00:00Z"));
    assertThat(seen("nested")[2]).isEqualTo(Limits.defaults().withMaxSpans(5).withMaxLinks(3).withMaxEvents(7));
  }

  @Test
  void classesInOneRunKeepTheirOwnSettings() {
    seen.clear();
    Kit.Run run = Kit.run(reports, config("traceunit.clock.start", "2024-03-01T09:00:00Z"),
        AnnotatedSample.class, PlainSample.class, BuilderSample.class);

    assertThat(run.tests().failed().count()).isZero();
    assertThat(seen("class")[1]).isEqualTo(Instant.parse("2010-01-01T00:00:00Z"));
    assertThat(seen("method")[1]).isEqualTo(Instant.parse("2011-01-01T00:00:00Z"));
    assertThat(seen("nested")[2]).isEqualTo(Limits.defaults().withMaxSpans(5).withMaxEvents(7));
    assertThat(seen("plain")[1]).isEqualTo(Instant.parse("2024-03-01T09:00:00Z"));
    assertThat(seen("plain")[2]).isEqualTo(Limits.defaults());
    assertThat(seen("builder")[1]).isEqualTo(Instant.parse("2020-02-02T00:00:00Z"));
    assertThat(seen("builder+traced")[1]).isEqualTo(Instant.parse("2021-01-01T00:00:00Z"));
  }

  @ExtendWith(TraceExtension.class)
  static class TwoTestsSample {
    @Test
    void first() {}

    @Test
    void second() {}
  }

  @Test
  void aBadValueFailsEveryTestWithItsOwnException() {
    Kit.Run run = Kit.run(reports, Map.of("traceunit.strict", "yes"), TwoTestsSample.class);

    assertThat(run.failure("first")).isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage("traceunit.strict is 'yes' but must be true or false")
        .isNotSameAs(run.failure("second"));
    assertThat(run.failure("second")).hasMessage("traceunit.strict is 'yes' but must be true or false");
  }

  @Traced(dump = "whenever")
  static class BadlyAnnotatedSample {
    @Test
    void runs() {}
  }

  @Test
  void aBadTracedAttributeNamesTheAttributeAndWhereItIs() {
    Kit.Run run = Kit.run(reports, BadlyAnnotatedSample.class);

    assertThat(run.failure("runs")).isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage("@Traced(dump) on dev.traceunit.junit.TraceSettingsTest$BadlyAnnotatedSample is 'whenever'"
            + " but must be one of on-failure, always, never");
  }

  static class BuilderSample {
    @RegisterExtension
    static TraceExtension traces = TraceExtension.builder()
        .clockStart(Instant.parse("2020-02-02T00:00:00Z"))
        .limits(Limits.defaults().withMaxLinks(1))
        .dump(TraceExtension.Dump.ALWAYS)
        .dumpFormats("text")
        .strict(false)
        .build();

    @Test
    void builderSettings(MockClock clock, SpanCollector collector) {
      dev.traceunit.core.Tracing.startAsync("left.open");
      see("builder", clock, collector);
    }

    @Test
    @Traced(clockStart = "2021-01-01T00:00:00Z")
    void tracedWinsOverBuilder(MockClock clock, SpanCollector collector) {
      see("builder+traced", clock, collector);
    }
  }

  @Test
  void builderSettingsWinOverConfigurationAndTracedWinsOverThem() {
    seen.clear();
    Kit.Run run = Kit.run(reports, config("traceunit.clock.start", "2024-03-01T09:00:00Z",
        "traceunit.limits.max-links", "3", "traceunit.strict", "true"), BuilderSample.class);

    assertThat(run.status("builderSettings")).isEqualTo(Status.SUCCESSFUL);
    assertThat(run.files("builderSettings")).extracting(f -> f.getPath().getFileName().toString())
        .containsExactly("trace.txt");
    assertThat(seen("builder")[1]).isEqualTo(Instant.parse("2020-02-02T00:00:00Z"));
    assertThat(seen("builder")[2]).isEqualTo(Limits.defaults().withMaxLinks(1));
    assertThat(seen("builder+traced")[1]).isEqualTo(Instant.parse("2021-01-01T00:00:00Z"));
  }

  @Test
  void theBuilderRejectsAnUnknownFormatAtOnce() {
    assertThatThrownBy(() -> TraceExtension.builder().dumpFormats("text", "html"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TraceExtension.builder().dumpFormats(…) is 'text,html' but must be a comma-separated list of at"
            + " least one of text, json, otlp");
  }

  @Traced
  static class RegisteredTwiceSample {
    @RegisterExtension
    static TraceExtension traces = TraceExtension.builder().build();

    @Test
    void getsOneCollector(Spans spans, SpanCollector collector) {
      dev.traceunit.core.Tracing.run("once", () -> {});
      assertThat(spans).isSameAs(collector);
      assertThat(collector.snapshot().named("once")).hasSize(1);
    }
  }

  @Test
  void anExtensionRegisteredTwiceServesTheTestOnce() {
    Kit.Run run = Kit.run(reports, RegisteredTwiceSample.class);

    assertThat(run.status("getsOneCollector")).isEqualTo(Status.SUCCESSFUL);
  }

  @Traced
  static class RegisteredTwiceWithSettingsSample {
    @RegisterExtension
    static TraceExtension traces = TraceExtension.builder().dump(TraceExtension.Dump.ALWAYS).build();

    @Test
    void wouldLoseTheBuilderSettings() {}
  }

  @Test
  void aSecondRegistrationWhoseBuilderSettingsWouldBeLostFailsSayingSo() {
    Kit.Run run = Kit.run(reports, RegisteredTwiceWithSettingsSample.class);

    assertThat(run.failure("wouldLoseTheBuilderSettings"))
        .isInstanceOf(org.junit.jupiter.api.extension.ExtensionConfigurationException.class)
        .hasMessage("TraceExtension is registered twice for wouldLoseTheBuilderSettings(), and the settings given to"
            + " TraceExtension.builder() (dump) would be ignored: register it once (with @RegisterExtension only,"
            + " without @ExtendWith or @Traced on the class), or give the settings through @Traced attributes");
  }

  @ExtendWith(TraceExtension.class)
  static class ConstructorSample {
    ConstructorSample(Spans spans) {}

    @Test
    void runs() {}
  }

  @Test
  void spansCannotBeInjectedIntoAConstructor() {
    Kit.Run run = Kit.run(reports, ConstructorSample.class);

    assertThat(run.failure("runs")).isInstanceOf(ParameterResolutionException.class)
        .hasMessage("TraceExtension resolves Spans only for test methods and their @BeforeEach and @AfterEach"
            + " methods, where each test has its own, and for the @BeforeAll and @AfterAll methods and PER_CLASS"
            + " constructors of a test class, which share the class's; dev.traceunit.junit.TraceSettingsTest$ConstructorSample"
            + "(dev.traceunit.core.Spans) is not one of them");
  }

  @Test
  void traceIdsAreShortAndStable() {
    assertThat(TestTrace.traceId("[engine:junit-jupiter]/[class:a.b.CheckoutTest]/[method:pays(a.Spans, int)]"))
        .isEqualTo("CheckoutTest/pays");
    assertThat(TestTrace.traceId("[engine:junit-jupiter]/[class:a.b.CheckoutTest]/[nested-class:Retries]"
        + "/[test-template:amounts(int)]/[test-template-invocation:#3]"))
        .isEqualTo("CheckoutTest/Retries/amounts/#3");
    assertThat(TestTrace.traceId("[engine:junit-jupiter]/[class-template:a.b.CheckoutTest]"
        + "/[class-template-invocation:#2]/[method:pays(a.Spans)]")).isEqualTo("CheckoutTest/#2/pays");
    assertThat(TestTrace.traceId("not a unique id")).isEqualTo("not a unique id");
  }
}
