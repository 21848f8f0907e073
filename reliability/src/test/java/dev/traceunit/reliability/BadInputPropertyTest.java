package dev.traceunit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.core.Limits;
import dev.traceunit.core.Problem;
import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.Scope;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.Trace;
import dev.traceunit.core.Tracing;
import dev.traceunit.junit.TraceJson;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Bad input, generated: random attribute keys and values of every supported type (and some
 * unsupported ones), unicode with lone surrogates and control characters, empty and huge strings,
 * NaN and infinities, deep and cyclic maps. Recording never throws; each attribute comes back from
 * a JSON write and read exactly as the test gave it (integers widened, floats as doubles), or its
 * cut is counted as a problem naming its key. Seeded: {@code -Dreliability.seed=N} replays a run.
 */
class BadInputPropertyTest {

  static final int SPANS = 3_000;
  static final Limits LIMITS = Limits.defaults().withMaxValueLength(1_000).withMaxKeyLength(64);
  static final int MAX_DEPTH = 32; // the nesting the design keeps; deeper is cut and reported

  private final long seed = Long.getLong("reliability.seed", 20240601L);
  private final Random random = new Random(seed);
  private int inputs;
  private int cuts;

  @Test
  void everyGeneratedAttributeRoundTripsThroughJsonExactlyOrItsCutIsCounted() throws Exception {
    SpanCollector collector = new SpanCollector("bad-input", dev.traceunit.core.TimeSource.system(), LIMITS);
    List<Map<String, Object>> given = new ArrayList<>();
    try (Scope scope = collector.activate()) {
      for (int s = 0; s < SPANS; s++) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        int count = random.nextInt(12);
        for (int a = 0; a < count; a++) {
          attributes.put(a + ":" + key(), value(0));
          inputs++;
        }
        given.add(attributes);
        try (SpanHandle span = Tracing.start(text(random.nextInt(20)))) {
          attributes.forEach(span::attribute);
          span.event(text(5), Map.of("k", value(0)));
          inputs += 2;
        }
      }
    }
    Trace trace = collector.finish();

    StringWriter json = new StringWriter();
    TraceJson.write(trace, json);
    Trace read = TraceJson.read(new StringReader(json.toString()));
    assertThat(read).as("seed %d: JSON round trip", seed).isEqualTo(trace);

    Set<String> cutKeys = new HashSet<>();
    for (Problem problem : trace.problems()) {
      Object key = problem.context().get("key");
      cutKeys.add(key == null ? problem.message() : key.toString());
    }
    List<RecordedSpan> spans = trace.spans();
    for (int s = 0; s < SPANS; s++) {
      RecordedSpan span = spans.get(s);
      for (Map.Entry<String, Object> entry : given.get(s).entrySet()) {
        String key = entry.getKey();
        Object expected = expected(entry.getValue(), 0);
        if (expected != CUT && key.length() <= LIMITS.maxKeyLength() && !key.isBlank()) {
          assertThat(span.attributes().get(key)).as("seed %d, span %d, key %s", seed, span.spanId(), key).isEqualTo(expected);
        } else {
          cuts++;
          String kept = key.length() > LIMITS.maxKeyLength() ? null : key;
          assertThat(kept == null || cutKeys.stream().anyMatch(k -> k.startsWith(kept)) || hasKeyProblem(trace, span))
              .as("seed %d: the cut of %s on span %d is counted as a problem", seed, key, span.spanId()).isTrue();
        }
      }
    }
    Runs.figures("bad input: seed " + seed + ", " + inputs + " values tried on " + SPANS + " spans, " + cuts
        + " cut and counted (" + trace.problems().size() + " problems), JSON round trip exact");
  }

  private static boolean hasKeyProblem(Trace trace, RecordedSpan span) {
    return trace.problems().stream().anyMatch(p -> p.spanId() == span.spanId());
  }

  /** Marks an input whose recording is cut: too long, too deep, cyclic, unsupported. */
  private static final Object CUT = new Object();

  /** What the design says an input becomes, or {@link #CUT}. */
  private static Object expected(Object value, int depth) {
    if (value instanceof String) {
      return ((String) value).length() > LIMITS.maxValueLength() ? CUT : value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float) {
      return ((Float) value).doubleValue();
    }
    if (value instanceof Long || value instanceof Double || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Map || value instanceof List) {
      if (depth >= MAX_DEPTH) {
        return CUT;
      }
      if (value instanceof List) {
        List<Object> out = new ArrayList<>();
        for (Object item : (List<?>) value) {
          Object e = expected(item, depth + 1);
          if (e == CUT) {
            return CUT;
          }
          out.add(e);
        }
        return out;
      }
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        Object e = expected(entry.getValue(), depth + 1);
        if (e == CUT) {
          return CUT;
        }
        out.put((String) entry.getKey(), e);
      }
      return out;
    }
    return CUT;
  }

  private String key() {
    switch (random.nextInt(10)) {
      case 0:
        return "";
      case 1:
        return text(LIMITS.maxKeyLength() + random.nextInt(50));
      default:
        return text(random.nextInt(16));
    }
  }

  private Object value(int depth) {
    switch (random.nextInt(depth > 3 ? 12 : 15)) {
      case 0:
        return text(random.nextInt(40));
      case 1:
        return "";
      case 2:
        return text(LIMITS.maxValueLength() - 2 + random.nextInt(5)); // around the limit
      case 3:
        return text(20_000 + random.nextInt(20_000)); // huge
      case 4:
        return random.nextLong();
      case 5:
        return random.nextInt();
      case 6:
        return new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE,
            Double.MAX_VALUE, random.nextGaussian()}[random.nextInt(7)];
      case 7:
        return new float[] {Float.NaN, Float.NEGATIVE_INFINITY, random.nextFloat()}[random.nextInt(3)];
      case 8:
        return random.nextBoolean();
      case 9:
        return new Object() {
          @Override
          public String toString() {
            return "unsupported";
          }
        };
      case 10:
        return (short) random.nextInt();
      case 11:
        return deep(random.nextInt(45));
      case 12:
        return cyclic();
      case 13: {
        List<Object> list = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--) {
          list.add(value(depth + 1));
        }
        return list;
      }
      default: {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = random.nextInt(5); i > 0; i--) {
          map.put(i + text(random.nextInt(6)), value(depth + 1));
        }
        return map;
      }
    }
  }

  private Map<String, Object> deep(int levels) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("leaf", random.nextLong());
    for (int i = 0; i < levels; i++) {
      Map<String, Object> outer = new LinkedHashMap<>();
      outer.put("level" + i, map);
      map = outer;
    }
    return map;
  }

  private static Map<String, Object> cyclic() {
    Map<String, Object> a = new LinkedHashMap<>();
    Map<String, Object> b = new LinkedHashMap<>();
    a.put("b", b);
    b.put("a", a);
    return new CyclicHolder(a);
  }

  /** A map whose equals and hashCode do not recurse forever, so the oracle can hold one. */
  private static final class CyclicHolder extends LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;

    CyclicHolder(Map<String, Object> cycle) {
      put("cycle", cycle);
    }

    @Override
    public boolean equals(Object other) {
      return this == other;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(this);
    }
  }

  /** Random text: any UTF-16 unit, so lone surrogates, control characters and NUL included. */
  private String text(int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(6)) {
        case 0:
          out.append((char) random.nextInt(0x20)); // control characters
          break;
        case 1:
          out.append((char) (0xD800 + random.nextInt(0x800))); // surrogates, paired only by chance
          break;
        case 2:
          out.appendCodePoint(0x1F300 + random.nextInt(0x300)); // emoji, a proper pair
          break;
        case 3:
          out.append((char) random.nextInt(0x10000));
          break;
        default:
          out.append((char) ('a' + random.nextInt(26)));
      }
    }
    return out.toString();
  }

}
