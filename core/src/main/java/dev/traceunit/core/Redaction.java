package dev.traceunit.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which attribute values are secret: the one rule every text traceunit writes follows. A
 * {@link Trace} carries the redaction of its collector, and {@link Trace#render()}, assertion
 * failure messages, problem lists, dumps and reports show the value of a key it matches as
 * {@value #MASK}, whatever its type; the spans a test reads keep the real values.
 *
 * <pre>{@code
 * Redaction redaction = Redaction.parse("password,card[-_.]?number");
 * SpanCollector collector = new SpanCollector("t-1", TimeSource.system(), Limits.defaults(), redaction);
 * }</pre>
 *
 * <p>Keys of span, event and link attributes, nested map keys and problem context keys are
 * matched; a pattern matches anywhere in the key, ignoring case.
 */
public final class Redaction {

  /** Masked values shorter than this are not looked for in free text: too likely to match by chance. */
  public static final int MIN_SCANNED_LENGTH = 6;
  /** At most this many masked values of one trace are looked for in its free text. */
  static final int MAX_SCANNED_VALUES = 256;

  /** What a masked value is shown as. */
  public static final String MASK = "<redacted>";

  /**
   * The patterns when nothing else is configured. {@code token$}: keys ending in "token" are masked,
   * counts such as {@code llm.output_tokens} stay.
   */
  public static final String DEFAULT_PATTERNS = "password,passwd,pwd,passphrase,secret,token$,authorization,bearer,"
      + "api[-_ .]?key,private[-_ .]?key,credential,jwt,cookie,session[-_ .]?id";

  private static final Redaction NONE = new Redaction(null, "none");
  /**
   * Parsed configurations by their text: settings are resolved for every test, and compiling the
   * patterns each time was a tenth of what the extension allocated per test. A run has a handful.
   */
  private static final Map<String, Redaction> PARSED = new ConcurrentHashMap<>();
  private static final int MAX_PARSED = 64;
  private static final int MAX_CACHED_KEYS = 4096;
  private static final Redaction DEFAULTS = parse(DEFAULT_PATTERNS);

  private final Pattern keys;
  private final String config;
  /** Answers by key: a million-span render asks about the same few keys again and again. */
  private final Map<String, Boolean> answers = new ConcurrentHashMap<>();

  private Redaction(Pattern keys, String config) {
    this.keys = keys;
    this.config = config;
  }

  /**
   * {@return the redaction for a {@code traceunit.redact} value: comma-separated regular expressions, or
   * {@code none} (the one way to turn masking off)}
   *
   * @param config the setting's value
   * @throws IllegalArgumentException if the text is empty or blank, a pattern is empty or not a
   *     valid regular expression
   */
  public static Redaction parse(String config) {
    if (config == null) {
      throw new IllegalArgumentException("redaction patterns must be 'none' or a comma-separated list of regular"
          + " expressions but were null");
    }
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
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("redaction patterns are empty ('" + config + "'); an empty list would turn"
          + " masking off silently: give 'none' to turn it off, or at least one regular expression");
    }
    if (trimmed.equals("none")) {
      return NONE;
    }
    List<String> alternatives = new ArrayList<>();
    for (String pattern : trimmed.split(",", -1)) {
      String one = pattern.trim();
      if (one.isEmpty()) {
        throw new IllegalArgumentException("redaction patterns '" + trimmed + "' contain an empty pattern;"
            + " each comma-separated pattern must be a regular expression");
      }
      try {
        alternatives.add("(?:" + Pattern.compile(one).pattern() + ")");
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("redaction pattern '" + one + "' is not a regular expression: "
            + e.getDescription(), e);
      }
    }
    return new Redaction(Pattern.compile(String.join("|", alternatives), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE),
        trimmed);
  }

  /** {@return the redaction of {@value #DEFAULT_PATTERNS}} */
  public static Redaction defaults() {
    return DEFAULTS;
  }

  /**
   * No masking at all.
   *
   * @return the redaction that masks nothing
   */
  public static Redaction none() {
    return NONE;
  }

  /**
   * {@return whether the value of an attribute with this key is masked}
   *
   * @param key the attribute's key
   */
  public boolean masks(String key) {
    if (keys == null || key == null) {
      return false;
    }
    Boolean known = answers.get(key);
    if (known != null) {
      return known;
    }
    boolean masked = keys.matcher(key).find();
    if (answers.size() < MAX_CACHED_KEYS) {
      answers.put(key, masked);
    }
    return masked;
  }

  /**
   * {@return free text of a trace (an exception message or stack trace, a log line, a problem message) with
   * every string this rule masks somewhere in the same trace, of at least {@value #MIN_SCANNED_LENGTH}
   * chars, replaced by {@value #MASK}: a password a test put under {@code password} and that an
   * exception message repeats is masked there too}
   *
   * @param text the free text
   * @param trace the trace it belongs to
   */
  public String scrub(String text, Trace trace) {
    return scrub(text, trace.maskedValues());
  }

  static String scrub(String text, List<String> secrets) {
    if (text == null || secrets.isEmpty()) {
      return text;
    }
    String out = text;
    for (String secret : secrets) {
      if (out.contains(secret)) {
        out = out.replace(secret, MASK);
      }
    }
    return out;
  }

  /** The strings this rule masks in the trace, longest first (so a longer secret is replaced whole). */
  List<String> maskedValues(Trace trace) {
    if (keys == null) {
      return List.of();
    }
    java.util.Set<String> found = new java.util.HashSet<>();
    for (RecordedSpan span : trace.spans()) {
      collect(span.attributes(), false, found);
      for (SpanEvent event : span.events()) {
        collect(event.attributes(), false, found);
      }
      for (SpanLink link : span.links()) {
        collect(link.attributes(), false, found);
      }
      if (found.size() >= MAX_SCANNED_VALUES) {
        break;
      }
    }
    List<String> sorted = new ArrayList<>(found);
    sorted.sort(java.util.Comparator.comparingInt(String::length).reversed().thenComparing(s -> s));
    return List.copyOf(sorted);
  }

  private void collect(Object value, boolean secret, java.util.Set<String> found) {
    if (found.size() >= MAX_SCANNED_VALUES) {
      return;
    }
    if (value instanceof Map) {
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        collect(entry.getValue(), secret || masks(String.valueOf(entry.getKey())), found);
      }
    } else if (value instanceof List) {
      for (Object item : (List<?>) value) {
        collect(item, secret, found);
      }
    } else if (secret && value instanceof String && ((String) value).length() >= MIN_SCANNED_LENGTH
        && !value.equals(MASK)) {
      found.add((String) value);
    }
  }

  /**
   * {@value #MASK} if the key is secret, else the value with nested secret values masked.
   *
   * @param key the attribute's key
   * @param value its value
   * @return the value to show
   */
  public Object mask(String key, Object value) {
    return masks(key) ? MASK : maskNested(value);
  }

  /**
   * {@return the trace with every secret value masked (spans, events, links and problem contexts); the same
   * trace if nothing is} What {@link Trace#render()} shows, for formats that write values
   * themselves (JSON, OTLP, the HTML report).
   *
   * @param trace the trace to mask
   */
  public Trace apply(Trace trace) {
    if (keys == null) {
      return trace;
    }
    List<String> secrets = trace.maskedValues();
    List<RecordedSpan> spans = new ArrayList<>(trace.size());
    boolean changed = false;
    for (RecordedSpan span : trace.spans()) {
      RecordedSpan masked = apply(span, secrets);
      changed |= masked != span;
      spans.add(masked);
    }
    List<Problem> problems = new ArrayList<>(trace.problems().size());
    for (Problem problem : trace.problems()) {
      Map<String, Object> context = mask(problem.context(), secrets);
      String message = scrub(problem.message(), secrets);
      boolean same = context == problem.context() && message.equals(problem.message());
      changed |= !same;
      problems.add(same ? problem : new Problem(problem.code(), message, problem.spanId(), context));
    }
    return changed ? Trace.ofOwned(trace.traceId(), spans.toArray(new RecordedSpan[0]), problems, trace.droppedSpans(),
        trace.redaction()) : trace;
  }

  /** The span with its secrets masked: changed parts replaced, the same span if nothing is. */
  private RecordedSpan apply(RecordedSpan span, List<String> secrets) {
    RecordedSpan masked = span;
    Map<String, Object> attributes = mask(span.attributes(), secrets);
    if (attributes != span.attributes()) {
      masked = masked.withAttributes(attributes);
    }
    List<SpanEvent> events = eachMasked(span.events(), event -> {
      Map<String, Object> eventAttributes = mask(event.attributes(), secrets);
      return eventAttributes == event.attributes() ? event
          : new SpanEvent(event.name(), event.offset(), event.time(), eventAttributes);
    });
    if (events != span.events()) {
      masked = masked.withEvents(events);
    }
    List<SpanLink> links = eachMasked(span.links(), link -> {
      Map<String, Object> linkAttributes = mask(link.attributes(), secrets);
      return linkAttributes == link.attributes() ? link : new SpanLink(link.traceId(), link.spanId(), linkAttributes);
    });
    if (links != span.links()) {
      masked = masked.withLinks(links);
    }
    ErrorInfo error = span.error();
    if (error != null) {
      String message = scrub(error.message(), secrets);
      String stackTrace = scrub(error.stackTrace(), secrets);
      if (!java.util.Objects.equals(message, error.message()) || !stackTrace.equals(error.stackTrace())) {
        masked = masked.withError(new ErrorInfo(error.type(), message, stackTrace));
      }
    }
    return masked;
  }

  /** {@code items} with {@code mask} applied to each; the same list if it returned every item unchanged. */
  private static <T> List<T> eachMasked(List<T> items, java.util.function.UnaryOperator<T> mask) {
    List<T> out = null;
    for (int i = 0; i < items.size(); i++) {
      T item = items.get(i);
      T masked = mask.apply(item);
      if (masked != item && out == null) {
        out = new ArrayList<>(items.subList(0, i));
      }
      if (out != null) {
        out.add(masked);
      }
    }
    return out == null ? items : out;
  }

  /**
   * {@return the attributes with secret values masked, nested maps and lists too; the same map if nothing is}
   *
   * @param attributes the attributes to mask
   */
  public Map<String, Object> mask(Map<String, Object> attributes) {
    return mask(attributes, List.of());
  }

  /** Like {@link #mask(Map)}, and strings under other keys scrubbed of {@code secrets}. */
  private Map<String, Object> mask(Map<String, Object> attributes, List<String> secrets) {
    Map<String, Object> out = null;
    for (Map.Entry<String, Object> entry : attributes.entrySet()) {
      Object value = entry.getValue();
      Object masked = mask(entry.getKey(), value);
      if (masked == value && value instanceof String && !secrets.isEmpty()) {
        String scrubbed = scrub((String) value, secrets);
        masked = scrubbed.equals(value) ? value : scrubbed;
      }
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
    if (keys == null) {
      return value;
    }
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

  /** The configuration this redaction was parsed from, e.g. {@code none}. */
  @Override
  public String toString() {
    return config;
  }
}
