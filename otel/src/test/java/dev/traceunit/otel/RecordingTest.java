package dev.traceunit.otel;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.core.Limits;
import dev.traceunit.core.ProblemCode;
import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanEvent;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.SpanLink;
import dev.traceunit.core.SpanStatus;
import dev.traceunit.core.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecordingTest {

  private final TestBed bed = new TestBed();

  @AfterEach
  void close() {
    bed.close();
  }

  private RecordedSpan only(String name) {
    List<RecordedSpan> spans = bed.collector.snapshot().named(name);
    assertThat(spans).as("spans named %s in\n%s", name, bed.collector.render()).hasSize(1);
    return spans.get(0);
  }

  @Test
  void kindNameAndAttributesKeepTheirOpenTelemetryTypes() {
    Span span = bed.tracer.spanBuilder("GET /orders")
        .setSpanKind(io.opentelemetry.api.trace.SpanKind.CLIENT)
        .setAttribute("http.method", "GET")
        .setAttribute("retry", 2L)
        .startSpan();
    span.setAttribute("ratio", 0.5);
    span.setAttribute("cached", true);
    span.setAttribute(AttributeKey.stringArrayKey("tags"), List.of("a", "b"));
    span.setAttribute(AttributeKey.longArrayKey("ports"), List.of(80L, 443L));
    span.setAttribute(AttributeKey.doubleArrayKey("weights"), List.of(1.5, 2.5));
    span.setAttribute(AttributeKey.booleanArrayKey("flags"), List.of(true, false));
    span.end();

    RecordedSpan recorded = only("GET /orders");
    assertThat(recorded.kind()).isEqualTo(SpanKind.CLIENT);
    assertThat(recorded.attributes()).containsExactly(
        Map.entry("http.method", "GET"), Map.entry("retry", 2L),
        // where the span comes from, for the OTLP dump: its tracer's scope and (first span only) the SDK's resource
        Map.entry("otel.scope.name", "test"),
        Map.entry("otel.resource", CollectorSpanProcessor.toMap(Resource.getDefault().getAttributes())),
        Map.entry("ratio", 0.5),
        Map.entry("cached", true), Map.entry("tags", List.of("a", "b")), Map.entry("ports", List.of(80L, 443L)),
        Map.entry("weights", List.of(1.5, 2.5)), Map.entry("flags", List.of(true, false)));
    assertThat(bed.collector).hasNoProblems();
  }

  @Test
  void structuredValuesBecomeListsAndMapsAndBytesBecomeBase64() {
    Span span = bed.tracer.spanBuilder("structured").startSpan();
    span.setAttribute(AttributeKey.valueKey("request"), Value.of(
        KeyValue.of("id", Value.of(7L)),
        KeyValue.of("items", Value.of(Value.of("x"), Value.of(true))),
        KeyValue.of("body", Value.of("hi".getBytes(StandardCharsets.UTF_8)))));
    span.end();

    assertThat(only("structured").attributes().get("request"))
        .isEqualTo(Map.of("id", 7L, "items", List.of("x", true), "body", "aGk="));
  }

  @Test
  void everyStandardKindMapsToTheTraceunitConstant() {
    for (io.opentelemetry.api.trace.SpanKind kind : io.opentelemetry.api.trace.SpanKind.values()) {
      bed.tracer.spanBuilder(kind.name()).setSpanKind(kind).startSpan().end();
      assertThat(only(kind.name()).kind()).isEqualTo(SpanKind.of(kind.name())).matches(SpanKind::isStandard);
    }
  }

  @Test
  void anOpenSpanIsRecordedAsOpenWithItsStartAttributesUntilItEnds() {
    Span span = bed.tracer.spanBuilder("slow").setAttribute("step", 1L).startSpan();
    bed.clock.advanceTime(Duration.ofMillis(40));

    assertThat(bed.collector).hasSpan("slow").isOpen().hasAttribute("step", 1L);
    span.end();
    assertThat(bed.collector).hasSpan("slow").isEnded().hasDuration(Duration.ofMillis(40));
  }

  @Test
  void eventsKeepTheirOwnTimestampsAndAttributes() {
    Instant start = bed.clock.instant();
    Span span = bed.tracer.spanBuilder("download").startSpan();
    bed.clock.advanceTime(Duration.ofMillis(30));
    span.addEvent("first.byte", Attributes.of(AttributeKey.longKey("bytes"), 512L));
    bed.clock.advanceTime(Duration.ofMillis(70));
    span.addEvent("backdated", start.plusMillis(5));
    span.end();

    RecordedSpan recorded = only("download");
    assertThat(recorded.events()).extracting(SpanEvent::name).containsExactly("first.byte", "backdated");
    assertThat(recorded.events()).extracting(SpanEvent::offset)
        .containsExactly(Duration.ofMillis(30), Duration.ofMillis(5));
    assertThat(recorded.events().get(0).time()).isEqualTo(start.plusMillis(30));
    assertThat(recorded.events().get(0).attributes()).containsEntry("bytes", 512L);
    assertThat(recorded.duration()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void explicitStartAndEndTimestampsArePlacedOnTheTestsTimeline() {
    bed.clock.advanceTime(Duration.ofSeconds(10));
    Instant now = bed.clock.instant();
    Span span = bed.tracer.spanBuilder("replayed").setStartTimestamp(now.minusSeconds(4)).startSpan();
    span.end(now.minusSeconds(1));

    RecordedSpan recorded = only("replayed");
    assertThat(recorded.startTime()).isEqualTo(now.minusSeconds(4));
    assertThat(recorded.startOffset()).isEqualTo(Duration.ofSeconds(6));
    assertThat(recorded.duration()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void aRecordedExceptionBecomesATraceunitErrorAtItsOwnTime() {
    Span span = bed.tracer.spanBuilder("charge").startSpan();
    bed.clock.advanceTime(Duration.ofMillis(12));
    span.recordException(new IOException("connection reset"));
    bed.clock.advanceTime(Duration.ofMillis(3));
    span.end();

    assertThat(bed.collector).hasSpan("charge").isError().hasError(IOException.class)
        .hasErrorMessage("connection reset").hasEvent("exception");
    SpanEvent exception = only("charge").events().get(0);
    assertThat(exception.offset()).isEqualTo(Duration.ofMillis(12));
    assertThat(exception.attributes()).containsEntry("exception.type", "java.io.IOException");
  }

  @Test
  void statusAndItsDescriptionAreRecorded() {
    Span failed = bed.tracer.spanBuilder("failed").startSpan();
    failed.setStatus(StatusCode.ERROR, "quota exceeded");
    failed.end();
    Span ok = bed.tracer.spanBuilder("ok").startSpan();
    ok.setStatus(StatusCode.OK);
    ok.end();
    bed.tracer.spanBuilder("unset").startSpan().end();

    assertThat(only("failed").status()).isEqualTo(SpanStatus.ERROR);
    assertThat(only("failed").attributes()).containsEntry(CollectorSpanProcessor.STATUS_DESCRIPTION, "quota exceeded");
    assertThat(only("ok").status()).isEqualTo(SpanStatus.OK);
    assertThat(only("unset").status()).isEqualTo(SpanStatus.UNSET);
  }

  @Test
  void anExplicitOkStatusWinsOverAnExceptionRecordedEarlier() {
    Span span = bed.tracer.spanBuilder("recovered").startSpan();
    span.recordException(new IllegalStateException("first try"));
    span.setStatus(StatusCode.OK);
    span.end();

    RecordedSpan recorded = only("recovered");
    assertThat(recorded.status()).isEqualTo(SpanStatus.OK);
    assertThat(recorded.error().type()).isEqualTo("java.lang.IllegalStateException");
  }

  @Test
  void updateNameRenamesTheSpanLatestNameWins() {
    Span span = bed.tracer.spanBuilder("HTTP GET").startSpan();
    span.updateName("GET /orders/{id}");
    span.end();

    assertThat(bed.collector).hasSize(1).hasSpan("GET /orders/{id}");
  }

  @Test
  void attributesOverTheCollectorsLimitReachItAndAreReportedNotDroppedSilently() {
    SpanCollector small = new SpanCollector(bed.collector.timeSource(), Limits.defaults().withMaxAttributes(2));
    try (TracedOpenTelemetry otel = TracedOpenTelemetry.create(small)) {
      otel.getTracer("test").spanBuilder("crowded")
          .setAttribute("a", 1L).setAttribute("b", 2L).setAttribute("c", 3L).setAttribute("d", 4L)
          .startSpan().end();
    }

    assertThat(small).hasProblem(ProblemCode.ATTRIBUTE_LIMIT);
    assertThat(small.snapshot().named("crowded").get(0).attributes()).containsOnlyKeys("a", "b");
  }

  @Test
  void anAttributeCutAtStartIsReportedAndCountedOnceNotAgainWhenTheSpanEnds() {
    SpanCollector small = new SpanCollector(bed.collector.timeSource(), Limits.defaults().withMaxAttributes(2));
    try (TracedOpenTelemetry otel = TracedOpenTelemetry.create(small)) {
      Span span = otel.getTracer("test").spanBuilder("crowded")
          .setAttribute("a", 1L).setAttribute("b", 2L).setAttribute("c", 3L)
          .startSpan();
      span.setAttribute("a", 10L);
      span.end();
    }

    assertThat(small.snapshot().problems())
        .filteredOn(problem -> problem.code() == ProblemCode.ATTRIBUTE_LIMIT).hasSize(1);
    RecordedSpan crowded = small.snapshot().named("crowded").get(0);
    assertThat(crowded.droppedAttributes()).isEqualTo(1);
    assertThat(crowded.attributes()).containsOnly(Map.entry("a", 10L), Map.entry("b", 2L));
  }

  @Test
  void theScopeAndResourceTakeOnlyTheRoomTheAttributeLimitLeaves() {
    SpanCollector small = new SpanCollector(bed.collector.timeSource(), Limits.defaults().withMaxAttributes(2));
    try (TracedOpenTelemetry otel = TracedOpenTelemetry.create(small)) {
      otel.getTracer("test").spanBuilder("one").setAttribute("a", 1L).startSpan().end();
      otel.getTracer("test").spanBuilder("two").setAttribute("a", 1L).setAttribute("b", 2L).startSpan().end();
    }

    assertThat(small).hasNoProblems();
    assertThat(small.snapshot().named("one").get(0).attributes()).containsOnlyKeys("a", "otel.scope.name");
    assertThat(small.snapshot().named("two").get(0).attributes()).containsOnlyKeys("a", "b");
  }

  @Test
  void anOverLongKeyGivenAtStartIsReportedOnce() {
    String longKey = "k".repeat(bed.collector.limits().maxKeyLength() + 5);
    bed.tracer.spanBuilder("long.key").setAttribute(longKey, "v").startSpan().end();

    assertThat(bed.collector.snapshot().problems())
        .filteredOn(problem -> problem.code() == ProblemCode.KEY_TOO_LONG).hasSize(1);
    assertThat(only("long.key").attributes().keySet()).filteredOn(key -> !key.startsWith("otel.")).hasSize(1);
  }

  @Test
  void aSpanOfAFinishedCollectorNoLongerBecomesTheCurrentTraceunitSpan() {
    SpanCollector finished = new SpanCollector(bed.collector.timeSource(), Limits.defaults());
    try (TracedOpenTelemetry otel = TracedOpenTelemetry.create(finished)) {
      Span span = otel.getTracer("test").spanBuilder("left.open").startSpan();
      try (io.opentelemetry.context.Scope ignored = span.makeCurrent()) {
        assertThat(Tracing.current().isRecording()).isTrue();
        assertThat(Tracing.current().traceId()).isEqualTo(finished.traceId());
      }
      finished.finish();
      try (io.opentelemetry.context.Scope ignored = span.makeCurrent()) {
        assertThat(Tracing.current().traceId()).isNotEqualTo(finished.traceId());
      }
    }
  }

  @Test
  void linksPointAtBridgedSpansOrCarryTheForeignIds() {
    Span job = bed.tracer.spanBuilder("job").startSpan();
    job.end();
    SpanContext foreign = SpanContext.createFromRemoteParent(
        "0af7651916cd43dd8448eb211c80319c", "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault());
    bed.tracer.spanBuilder("drain").setNoParent()
        .addLink(job.getSpanContext(), Attributes.of(AttributeKey.stringKey("why"), "resume"))
        .addLink(foreign)
        .startSpan().end();

    assertThat(bed.collector).hasSpan("drain").hasLinkTo("job");
    List<SpanLink> links = only("drain").links();
    assertThat(links.get(0).attributes()).containsEntry("why", "resume");
    assertThat(links.get(1)).isEqualTo(SpanLink.to("0af7651916cd43dd8448eb211c80319c", 0x00f067aa0ba902b7L));
  }

  @Test
  void timestampsFollowTheMockClockExactly() {
    bed.clock.advanceTime(Duration.ofMillis(250));
    Span span = bed.tracer.spanBuilder("timed").startSpan();
    bed.clock.advanceTime(Duration.ofMillis(120));
    span.end();

    RecordedSpan recorded = only("timed");
    assertThat(recorded.startTime()).isEqualTo(Instant.parse("2000-01-01T00:00:00.250Z"));
    assertThat(recorded.startOffset()).isEqualTo(Duration.ofMillis(250));
    assertThat(recorded.duration()).isEqualTo(Duration.ofMillis(120));
    assertThat(TimeSourceClock.of(bed.collector.timeSource()).now())
        .isEqualTo(Instant.parse("2000-01-01T00:00:00.370Z").toEpochMilli() * 1_000_000L);
  }

  @Test
  void spansEndingAfterTheSdkClosedAreNotRecordedAsEnded() {
    Span span = bed.tracer.spanBuilder("late").startSpan();
    bed.otel.close();
    span.end();

    assertThat(bed.collector).hasSpan("late").isOpen();
  }
}
