package dev.traceunit.junit;

import dev.traceunit.core.Problem;
import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.SpanEvent;
import dev.traceunit.core.SpanLink;
import dev.traceunit.core.Trace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Masks the values of attributes whose keys look secret, in the trace a dump shows. Applied once,
 * in {@link TraceExtension} where a finished test's trace becomes the dumped trace, so every dump
 * and report made from it (text, JSON, and any later format) is masked, while the test's own
 * {@code Spans} and assertions keep the real values.
 *
 * <p>Keys of span, event and link attributes, nested map keys and problem context keys are
 * matched; a pattern matches anywhere in the key, ignoring case. A masked value becomes the string
 * {@value #MASK}, whatever its type.
 */
final class Redaction {

  static final String MASK = "<redacted>";

  /** {@code traceunit.redact} when not set. {@code token$}: counts such as {@code output_tokens} stay. */
  static final String DEFAULT_PATTERNS = "password,passwd,secret,token$,authorization,api[-_ .]?key,cookie";

  static final Redaction NONE = new Redaction(null, "none");

  /**
   * Parsed configurations by their text: settings are resolved for every test, and compiling the
   * patterns each time was a tenth of what the extension allocated per test. A run has a handful.
   */
  private static final Map<String, Redaction> PARSED = new ConcurrentHashMap<>();
  private static final int MAX_PARSED = 64;
  private static final Redaction DEFAULTS = parse(DEFAULT_PATTERNS);

  private final Pattern keys;
  private final String config;

  private Redaction(Pattern keys, String config) {
    this.keys = keys;
    this.config = config;
  }

  /**
   * The redaction for a {@code traceunit.redact} value: comma-separated regular expressions, or
   * {@code none}.
   *
   * @throws IllegalArgumentException if a pattern is not a valid regular expression
   */
  static Redaction parse(String config) {
    Redaction parsed = PARSED.get(config);
    if (parsed == null) {
      parsed = compile(config);
      if (PARSED.size() < MAX_PARSED) {
        PARSED.put(config, parsed);
      }
    }
    return parsed;
  }

  private static Redaction compile(String config) {
    String trimmed = config.trim();
    if (trimmed.isEmpty() || trimmed.equals("none")) {
      return NONE;
    }
    List<String> alternatives = new ArrayList<>();
    for (String pattern : trimmed.split(",", -1)) {
      String one = pattern.trim();
      if (one.isEmpty()) {
        throw new IllegalArgumentException("empty pattern");
      }
      alternatives.add("(?:" + Pattern.compile(one).pattern() + ")");
    }
    return new Redaction(Pattern.compile(String.join("|", alternatives), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE),
        trimmed);
  }

  static Redaction defaults() {
    return DEFAULTS;
  }

  /** Whether the value of an attribute with this key is masked. */
  boolean masks(String key) {
    return keys != null && keys.matcher(key).find();
  }

  /** The trace with every secret value masked; the same trace if nothing is. */
  Trace apply(Trace trace) {
    if (keys == null) {
      return trace;
    }
    List<RecordedSpan> spans = new ArrayList<>(trace.size());
    boolean changed = false;
    for (RecordedSpan span : trace.spans()) {
      RecordedSpan masked = apply(span);
      changed |= masked != span;
      spans.add(masked);
    }
    List<Problem> problems = new ArrayList<>(trace.problems().size());
    for (Problem problem : trace.problems()) {
      Map<String, Object> context = mask(problem.context());
      changed |= context != problem.context();
      problems.add(context == problem.context() ? problem
          : new Problem(problem.code(), problem.message(), problem.spanId(), context));
    }
    return changed ? Trace.of(trace.traceId(), spans, problems, trace.droppedSpans()) : trace;
  }

  private RecordedSpan apply(RecordedSpan span) {
    Map<String, Object> attributes = mask(span.attributes());
    List<SpanEvent> events = span.events();
    List<SpanEvent> maskedEvents = new ArrayList<>(events.size());
    boolean eventsChanged = false;
    for (SpanEvent event : events) {
      Map<String, Object> eventAttributes = mask(event.attributes());
      eventsChanged |= eventAttributes != event.attributes();
      maskedEvents.add(eventAttributes == event.attributes() ? event
          : new SpanEvent(event.name(), event.offset(), event.time(), eventAttributes));
    }
    List<SpanLink> links = span.links();
    List<SpanLink> maskedLinks = new ArrayList<>(links.size());
    boolean linksChanged = false;
    for (SpanLink link : links) {
      Map<String, Object> linkAttributes = mask(link.attributes());
      linksChanged |= linkAttributes != link.attributes();
      maskedLinks.add(linkAttributes == link.attributes() ? link
          : new SpanLink(link.traceId(), link.spanId(), linkAttributes));
    }
    if (attributes == span.attributes() && !eventsChanged && !linksChanged) {
      return span;
    }
    return new RecordedSpan(span.traceId(), span.spanId(), span.parentId(), span.kind(), span.name(),
        span.startOffset(), span.startTime(), span.duration(), span.ended(), span.marker(), attributes,
        eventsChanged ? maskedEvents : events, linksChanged ? maskedLinks : links, span.status(), span.error(),
        span.threadName(), span.droppedAttributes(), span.droppedEvents(), span.droppedLinks());
  }

  /** The map with secret values masked, nested maps and lists too; the same map if nothing is. */
  private Map<String, Object> mask(Map<String, Object> attributes) {
    Map<String, Object> out = null;
    for (Map.Entry<String, Object> entry : attributes.entrySet()) {
      Object value = entry.getValue();
      Object masked = masks(entry.getKey()) ? MASK : maskNested(value);
      if (masked != value && out == null) {
        out = new LinkedHashMap<>(attributes);
      }
      if (out != null) {
        out.put(entry.getKey(), masked);
      }
    }
    return out == null ? attributes : out;
  }

  @SuppressWarnings("unchecked")
  private Object maskNested(Object value) {
    if (value instanceof Map) {
      return mask((Map<String, Object>) value);
    }
    if (value instanceof List) {
      List<?> list = (List<?>) value;
      List<Object> out = null;
      for (int i = 0; i < list.size(); i++) {
        Object item = list.get(i);
        Object masked = maskNested(item);
        if (masked != item && out == null) {
          out = new ArrayList<>(list);
        }
        if (out != null) {
          out.set(i, masked);
        }
      }
      return out == null ? value : out;
    }
    return value;
  }

  @Override
  public String toString() {
    return config;
  }
}
