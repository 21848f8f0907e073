package dev.traceunit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.core.Limits;
import dev.traceunit.core.Problem;
import dev.traceunit.core.ProblemCode;
import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.Redaction;
import dev.traceunit.core.Scope;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanEvent;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanLink;
import dev.traceunit.core.TimeSource;
import dev.traceunit.core.Trace;
import dev.traceunit.core.Tracing;
import dev.traceunit.core.internal.Values;
import dev.traceunit.junit.OtlpJson;
import dev.traceunit.junit.TraceJson;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The property suite of attribute values: for any value a test or an application may hand over
 * (strings of any length with surrogate pairs and lone surrogates, every boxed number, arrays, lists,
 * sets, maps with any keys, containers holding themselves, objects whose {@code toString} returns
 * null or throws) and any limits, recorded as a span attribute, an event attribute or a link
 * attribute, normalisation
 * <ul>
 *   <li>never throws,</li>
 *   <li>respects every limit,</li>
 *   <li>records a problem naming the key whenever it dropped or cut something,</li>
 *   <li>is idempotent: a recorded value normalised or recorded again is the same, with no problem,</li>
 *   <li>and the trace comes back equal from {@code TraceJson} write→read, with the same OTLP export.</li>
 * </ul>
 * Each case is one seed (a generated set of limits and values); a failure names it, and {@code
 * -Dreliability.valueSeed=N} runs only that one. jqwik is not used: its 1.10 releases print a notice to
 * every run telling coding agents not to use the library, and JUnit's own parameterized tests with a
 * seeded generator give the same cover on every JUnit line the build runs.
 */
class ValuePropertyTest {

  static final int CASES = 300;

  /** The cases: seeds from {@code reliability.seed} on, or the one given as {@code reliability.valueSeed}. */
  static LongStream seeds() {
    Long only = Long.getLong("reliability.valueSeed");
    long first = Long.getLong("reliability.seed", 20240601L);
    return only != null ? LongStream.of(only) : LongStream.range(first, first + CASES);
  }

  /** What one case records: a span with attributes, an event with attributes and a link with attributes. */
  record Input(Map<String, Object> span, Map<String, Object> event, Map<String, Object> link) {}

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void anyValueIsNormalisedWithinTheLimitsOnceWithItsCutsCountedAndRoundTrips(long seed) throws Exception {
    Random random = new Random(seed);
    Limits limits = limits(random);
    Generator generate = new Generator(random, limits);
    Input input = new Input(generate.attributes(), generate.attributes(), generate.attributes());

    Trace trace = record(input, limits); // never throws: an exception fails the case
    RecordedSpan span = trace.named("values").get(0);
    SpanEvent event = span.events().get(0);
    SpanLink link = span.links().get(0);
    String what = "seed " + seed + " with " + limits;

    checkOwner(what + ", span attributes", input.span(), span.attributes(), limits, trace, span);
    checkOwner(what + ", event attributes", input.event(), event.attributes(), limits, trace, span);
    checkOwner(what + ", link attributes", input.link(), link.attributes(), limits, trace, span);

    // Recorded again, what was recorded is recorded as it is: no cut, no problem.
    Trace again = record(new Input(span.attributes(), event.attributes(), link.attributes()), limits);
    RecordedSpan spanAgain = again.named("values").get(0);
    assertThat(spanAgain.attributes()).as("%s: span attributes recorded again", what).isEqualTo(span.attributes());
    assertThat(spanAgain.events().get(0).attributes()).as("%s: event attributes recorded again", what)
        .isEqualTo(event.attributes());
    assertThat(spanAgain.links().get(0).attributes()).as("%s: link attributes recorded again", what)
        .isEqualTo(link.attributes());
    assertThat(again.problems()).as("%s: problems of recording it again", what).isEmpty();

    StringWriter json = new StringWriter();
    TraceJson.write(trace, json);
    Trace read = TraceJson.read(new StringReader(json.toString()));
    assertThat(read).as("%s: TraceJson write→read", what).isEqualTo(trace);
    assertThat(otlp(read)).as("%s: OTLP of the trace read back", what).isEqualTo(otlp(trace));
  }

  /**
   * Checks one owner's attributes against what it was given: within the limits, normalised again
   * to themselves, and every difference from the value normalised without limits named by a problem.
   */
  private static void checkOwner(String what, Map<String, Object> given, Map<String, Object> stored, Limits limits,
      Trace trace, RecordedSpan span) {
    assertThat(stored.size()).as("%s: count", what).isLessThanOrEqualTo(limits.maxAttributes());
    List<Problem> problems = trace.problems().stream().filter(p -> p.spanId() == span.spanId()).toList();
    for (Map.Entry<String, Object> entry : stored.entrySet()) {
      assertThat(entry.getKey().length()).as("%s: key length", what).isLessThanOrEqualTo(limits.maxKeyLength());
      withinLimits(what + ", '" + entry.getKey() + "'", entry.getValue(), limits, 0);
      List<String> found = new ArrayList<>();
      Object again = Values.normalize(entry.getValue(), entry.getKey(), limits, (code, message, context) -> found.add(message));
      assertThat(again).as("%s: '%s' normalised again", what, entry.getKey()).isEqualTo(entry.getValue());
      assertThat(found).as("%s: problems of normalising '%s' again", what, entry.getKey()).isEmpty();
    }
    int kept = 0;
    for (Map.Entry<String, Object> entry : given.entrySet()) {
      String key = Values.cutText(entry.getKey(), limits.maxKeyLength());
      if (!key.equals(entry.getKey())) {
        assertThat(problems).as("%s: key '%s' was cut", what, key)
            .anyMatch(p -> p.code() == ProblemCode.KEY_TOO_LONG && key.equals(p.context().get("key")));
      }
      if (!stored.containsKey(key)) {
        boolean isNull = entry.getValue() == null; // dropped as null, or by the count before it was looked at
        assertThat(problems).as("%s: '%s' was dropped", what, key).anyMatch(p -> p.code() == ProblemCode.ATTRIBUTE_LIMIT
            || isNull && p.code() == ProblemCode.UNSUPPORTED_VALUE && key.equals(p.context().get("key")));
        continue;
      }
      kept++;
      Object exact = Values.normalize(entry.getValue());
      if (!exact.equals(stored.get(key))) {
        assertThat(problems).as("%s: '%s' was cut (stored %s)", what, key, stored.get(key))
            .anyMatch(p -> p.context().get("key") instanceof String named
                && (named.equals(key) || named.startsWith(key + ".")));
      }
    }
    assertThat(kept).as("%s: every kept attribute was given", what).isEqualTo(stored.size());
  }

  /** Only supported types, strings within the length (a cut one: its start), containers within the element limit. */
  private static void withinLimits(String what, Object value, Limits limits, int depth) {
    assertThat(depth).as("%s: depth", what).isLessThanOrEqualTo(Values.MAX_DEPTH);
    if (value instanceof String text) {
      int marker = text.lastIndexOf("…[truncated ");
      int kept = marker >= 0 && text.endsWith(" chars]") ? marker : text.length();
      assertThat(kept).as("%s: length of %s", what, text.length() > 80 ? text.substring(0, 80) + "…" : text)
          .isLessThanOrEqualTo(limits.maxValueLength());
    } else if (value instanceof Map<?, ?> map) {
      assertThat(map.size()).as("%s: map size", what).isLessThanOrEqualTo(limits.maxValueElements());
      map.forEach((key, item) -> {
        assertThat(key).as("%s: map key", what).isInstanceOf(String.class);
        assertThat(((String) key).length()).as("%s: map key length", what).isLessThanOrEqualTo(limits.maxKeyLength());
        withinLimits(what + "." + key, item, limits, depth + 1);
      });
    } else if (value instanceof List<?> list) {
      assertThat(list.size()).as("%s: list size", what).isLessThanOrEqualTo(limits.maxValueElements());
      list.forEach(item -> withinLimits(what + "[]", item, limits, depth + 1));
    } else if (value != null || depth == 0) { // a list or map may hold null, an attribute may not
      assertThat(value).as("%s: type", what).isInstanceOfAny(Long.class, Double.class, Boolean.class);
    }
  }

  private static Trace record(Input input, Limits limits) {
    SpanCollector collector = new SpanCollector("values", TimeSource.system(), limits, Redaction.none());
    try (Scope scope = collector.activate()) {
      SpanHandle target = Tracing.start("target");
      target.end();
      try (SpanHandle span = Tracing.span("values").link(target.link().withAttributes(input.link())).start()) {
        input.span().forEach(span::attribute);
        span.event("event", input.event());
      }
    }
    return collector.finish();
  }

  private static String otlp(Trace trace) throws Exception {
    StringWriter out = new StringWriter();
    OtlpJson.write(trace, out);
    return out.toString();
  }

  private static Limits limits(Random random) {
    if (random.nextInt(10) == 0) {
      return Limits.defaults().withMaxAttributes(1).withMaxValueLength(3); // the case the issue found
    }
    return Limits.defaults()
        .withMaxAttributes(pick(random, 0, 1, 2, 5, 128))
        .withMaxKeyLength(pick(random, 6, 12, 256))
        .withMaxValueLength(pick(random, 1, 3, 16, 1_000, 131_072))
        .withMaxValueElements(pick(random, 0, 1, 3, 1_024))
        .withMaxValueNodes(pick(random, 1, 4, 50, 10_000));
  }

  private static int pick(Random random, int... choices) {
    return choices[random.nextInt(choices.length)];
  }

  /** Values of every kind a caller may pass, sized around the limits. */
  private static final class Generator {
    private final Random random;
    private final Limits limits;

    Generator(Random random, Limits limits) {
      this.random = random;
      this.limits = limits;
    }

    Map<String, Object> attributes() {
      Map<String, Object> out = new LinkedHashMap<>();
      int count = random.nextInt(8);
      for (int i = 0; i < count; i++) {
        // Unique within their first chars, so that keys cut to the limit stay apart.
        String key = "a" + i + (random.nextInt(6) == 0 ? text(limits.maxKeyLength() + random.nextInt(20)) : text(3));
        out.put(key, random.nextInt(30) == 0 ? null : value(0));
      }
      return out;
    }

    Object value(int depth) {
      int kind = random.nextInt(depth > 3 ? 14 : 20);
      switch (kind) {
        case 0: case 1: case 2:
          return text(length());
        case 3:
          return random.nextLong();
        case 4:
          return random.nextInt();
        case 5:
          return (short) random.nextInt();
        case 6:
          return (byte) random.nextInt();
        case 7:
          return pickOf(Double.NaN, Double.POSITIVE_INFINITY, -0.0d, random.nextDouble(), Double.MAX_VALUE);
        case 8:
          return pickOf(Float.NaN, random.nextFloat(), Float.NEGATIVE_INFINITY);
        case 9:
          return random.nextBoolean();
        case 10:
          return pickOf(BigInteger.TEN.pow(30), new BigDecimal("1.5"), new AtomicLong(7), 'x', '\uD800');
        case 11:
          return text(length()).toCharArray();
        case 12:
          return hostile();
        case 13:
          return pickOf(new int[] {1, 2, 3}, new long[random.nextInt(5)], new double[] {0.5, Double.NaN},
              new boolean[] {true}, new String[] {text(2), null});
        case 14: case 15:
          return list(depth);
        case 16:
          return set(depth);
        case 17: case 18:
          return map(depth);
        default:
          return selfReferencing(depth);
      }
    }

    private int length() {
      int max = limits.maxValueLength();
      switch (random.nextInt(6)) {
        case 0:
          return 0;
        case 1:
          return Math.min(max, 50_000) + random.nextInt(3) - 1;
        case 2:
          return random.nextInt(Math.min(max, 10_000) * 2 + 2);
        case 3:
          return random.nextInt(20) == 0 ? 200_000 : random.nextInt(300);
        default:
          return random.nextInt(12);
      }
    }

    /** Text with surrogate pairs, lone surrogates, control characters, the escapes' names and the cut marker. */
    String text(int length) {
      StringBuilder out = new StringBuilder(length);
      while (out.length() < length) {
        switch (random.nextInt(12)) {
          case 0:
            out.append("\uD83D\uDE00"); // a pair, may be cut between at the limit
            break;
          case 1:
            out.append(random.nextBoolean() ? '\uD800' : '\uDFFF');
            break;
          case 2:
            out.append((char) random.nextInt(0x20));
            break;
          case 3:
            out.append(pickOf("$string", "$map", "$entries", "NaN", "…[truncated 9 chars]", "\u2028", "é"));
            break;
          default:
            out.append((char) ('a' + random.nextInt(26)));
        }
      }
      return out.length() > length && length > 0 && random.nextBoolean() ? out.substring(0, length) : out.toString();
    }

    private Object hostile() {
      switch (random.nextInt(4)) {
        case 0:
          return new Object() {
            @Override
            public String toString() {
              return null;
            }
          };
        case 1:
          return new Object() {
            @Override
            public String toString() {
              throw new IllegalStateException("no text");
            }
          };
        case 2:
          return new Object() {
            @Override
            public String toString() {
              throw new AssertionError("an Error from toString");
            }
          };
        default:
          return new Object();
      }
    }

    private List<Object> list(int depth) {
      List<Object> out = new ArrayList<>();
      int size = size();
      for (int i = 0; i < size; i++) {
        out.add(value(depth + 1));
      }
      return out;
    }

    private Set<Object> set(int depth) {
      Set<Object> out = new HashSet<>();
      int size = size();
      for (int i = 0; i < size; i++) {
        out.add(random.nextBoolean() ? text(4) : random.nextInt(100));
      }
      return random.nextBoolean() || out.contains(null) ? out : Set.copyOf(out);
    }

    private Map<Object, Object> map(int depth) {
      Map<Object, Object> out = random.nextInt(3) == 0 ? new HashMap<>() : random.nextBoolean()
          ? new LinkedHashMap<>() : new TreeMap<>();
      boolean sorted = out instanceof TreeMap;
      int size = size();
      for (int i = 0; i < size; i++) {
        Object key = sorted || random.nextInt(5) > 0
            ? text(random.nextInt(6) == 0 ? limits.maxKeyLength() + 3 : 1 + random.nextInt(6))
            : pickOf(i, null, hostile(), List.of(i));
        out.put(key, value(depth + 1));
      }
      return out;
    }

    private Object selfReferencing(int depth) {
      if (random.nextBoolean()) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("self", map);
        map.put("other", value(depth + 1));
        return map;
      }
      List<Object> list = new ArrayList<>();
      list.add(list);
      list.add(value(depth + 1));
      list.add(list);
      return list;
    }

    private int size() {
      int max = limits.maxValueElements();
      // Over the element limit only where that limit is small: 1,025 nested values of values are too many.
      return random.nextInt(8) == 0 && max <= 3 ? max + 1 + random.nextInt(3) : random.nextInt(Math.min(max, 6) + 1);
    }

    @SafeVarargs
    private <T> T pickOf(T... choices) {
      return choices[random.nextInt(choices.length)];
    }
  }
}
