package dev.traceunit.assertions;

import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.Redaction;
import dev.traceunit.core.SpanEvent;
import dev.traceunit.core.Trace;
import dev.traceunit.core.internal.Quantities;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.assertj.core.presentation.Representation;

/**
 * Shows spans, events, traces and lists of spans readably in AssertJ messages: a span as its line of
 * the text tree, a trace as its tree. The span list assertions ({@code spansNamed}) use it to show
 * paths and the tree; it is not registered globally, because spans, events and traces print the same
 * way through their own {@code toString}, in {@code assertThat(spans.all()).hasSize(2)} too. Use it
 * with {@code Assertions.useRepresentation(new TraceRepresentation())} if you wish; for every other
 * type it answers null, so AssertJ's own representation applies.
 *
 * <pre>{@code
 * assertThat(spans.named("payment.call")).isEmpty();
 * // Expecting empty but was: [span 2 client payment.call  +10ms  120ms  attempt=1,
 * //     span 3 client payment.call  +2010ms  100ms  attempt=2]
 * }</pre>
 */
public class TraceRepresentation implements Representation {

  /** The trace the spans come from, to show their paths and the tree; null when unknown. */
  private final Trace trace;
  /** What shows other values; null to answer null for them (as a registered service must). */
  private final Representation others;

  /** The representation without a trace: spans as their tree lines. */
  public TraceRepresentation() {
    this(null, null);
  }

  /** Spans of this trace shown by their paths, lists of them followed by the tree with them marked. */
  TraceRepresentation(Trace trace, Representation others) {
    this.trace = trace;
    this.others = others;
  }

  @Override
  public String toStringOf(Object object) {
    if (object instanceof RecordedSpan) {
      return span((RecordedSpan) object);
    }
    if (object instanceof SpanEvent) {
      SpanEvent event = (SpanEvent) object;
      return "event " + event.name() + " +" + Quantities.millis(event.offset())
          + (event.attributes().isEmpty() ? "" : " " + redaction().mask(event.attributes()));
    }
    if (object instanceof Trace) {
      return TraceFailure.tree((Trace) object, span -> false);
    }
    List<RecordedSpan> spans = spansIn(object);
    if (spans != null) {
      return list(spans);
    }
    return others == null ? null : others.toStringOf(object);
  }

  @Override
  public String unambiguousToStringOf(Object object) {
    if (isOurs(object)) {
      return toStringOf(object);
    }
    return others == null ? null : others.unambiguousToStringOf(object);
  }

  private boolean isOurs(Object object) {
    return object instanceof RecordedSpan || object instanceof SpanEvent || object instanceof Trace
        || spansIn(object) != null;
  }

  private String span(RecordedSpan span) {
    if (trace != null && trace.byId(span.spanId()).filter(span::equals).isPresent()) {
      return TraceFailure.path(trace, span) + " (span " + span.spanId() + ")";
    }
    // The span's own line of the text tree (without its events), so spans print as in every dump.
    RecordedSpan alone = span.withParentId(0).withEvents(List.of()).withLinks(List.of());
    String line = Trace.of(span.traceId(), List.of(alone), List.of(), 0).withRedaction(redaction()).render()
        .split("\n")[1];
    return "span " + span.spanId() + " " + line.substring(line.indexOf("─ ") + 2).strip();
  }

  /** Which values are masked: the trace's rule, or the default one without a trace. */
  private Redaction redaction() {
    return trace == null ? Redaction.defaults() : trace.redaction();
  }

  @Override
  public String toString() {
    return "traceunit's TraceRepresentation (spans, events, traces; null for anything else)";
  }

  private String list(List<RecordedSpan> spans) {
    String items = spans.stream().map(this::span).collect(Collectors.joining(",\n  ", "[\n  ", "\n]"));
    if (spans.isEmpty()) {
      items = "[]";
    }
    if (trace == null) {
      return items;
    }
    return items + "\nin:\n" + TraceFailure.tree(trace, spans);
  }

  /** The spans of a list or array holding only spans; null for anything else (an empty one only with a trace). */
  private List<RecordedSpan> spansIn(Object object) {
    Iterable<?> items;
    if (object instanceof Iterable) {
      items = (Iterable<?>) object;
    } else if (object instanceof RecordedSpan[]) {
      items = Arrays.asList((RecordedSpan[]) object);
    } else {
      return null;
    }
    List<RecordedSpan> spans = new ArrayList<>();
    for (Object item : items) {
      if (!(item instanceof RecordedSpan)) {
        return null;
      }
      spans.add((RecordedSpan) item);
    }
    return spans.isEmpty() && trace == null ? null : spans;
  }
}
