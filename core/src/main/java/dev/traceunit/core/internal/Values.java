package dev.traceunit.core.internal;

import dev.traceunit.core.Limits;
import dev.traceunit.core.ProblemCode;
import dev.traceunit.core.Redaction;

import java.lang.reflect.Array;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * Attribute values: the supported types, how other values are brought to them, and the immutable
 * containers the model hands out. The one rule for span, event and link attributes alike, and for
 * what an assertion expects (so what it compares is what was recorded).
 *
 * <p>Supported: String, Long, Double, Boolean, lists of values and {@code Map<String, ?>} of values
 * (JSON-like), nested. Integers widen to Long, floats to Double; arrays and other collections
 * become lists; anything else becomes its {@code String.valueOf} form and is reported.
 *
 * <p>Order: a map or set whose iteration order is defined ({@code LinkedHashMap}, {@code SortedMap},
 * {@code LinkedHashSet}, {@code SortedSet}, lists) is read in that order; any other ({@code Map.of},
 * {@code HashMap}, {@code Set.of}…, whose order may change from one JVM to the next) is read in key
 * order, so the same code records the same attributes in the same order on every run.
 */
public final class Values {

  /** Deeper nesting than this is cut. */
  public static final int MAX_DEPTH = 32;

  /** Loads this class: called where a collector is made, so that its first use is not deep in a stack. */
  public static void load() {
    // Calling a static method initialises the class.
  }

  private Values() {}

  /** Receives the problems found while normalising a value. */
  public interface ProblemSink {
    void problem(ProblemCode code, String message, Map<String, Object> context);

    /** Whether a key cut to {@code cutKey} was secret as a whole, so its value must be masked now. */
    default boolean lostSecret(String key, String cutKey) {
      return false;
    }
  }

  /** Limits that cut nothing: for values that are not being recorded (an expected value, a record built by hand). */
  private static final Limits UNCUT = new Limits(Integer.MAX_VALUE, Limits.MAX_KEY_LENGTH, Limits.MAX_VALUE_LENGTH,
      0, 0, 0, 1, Limits.MAX_VALUE_LENGTH, Integer.MAX_VALUE, Integer.MAX_VALUE);

  /** A sink for values no one records problems for. */
  private static final ProblemSink IGNORED = (code, message, context) -> { };

  /**
   * A value as the collector stores it, without its limits: what an assertion compares a recorded
   * value with ({@code 2} is stored as {@code 2L}, a {@code Set.of} as a list in key order). Never throws.
   */
  public static Object normalize(Object value) {
    return normalize(value, "value", UNCUT, IGNORED);
  }

  /** A mutable, insertion-ordered copy of a map, or an empty one for null. */
  public static Map<String, Object> copyOf(Map<String, ?> map) {
    return map == null ? new LinkedHashMap<>() : new LinkedHashMap<>(map);
  }

  /**
   * An immutable, insertion-ordered, deep copy of a map whose values are brought to the supported
   * types (see {@link #normalize(Object)}: a record built by hand holds what a recorded one would);
   * already frozen maps are returned as is.
   */
  public static Map<String, Object> freeze(Map<String, ?> map) {
    return frozenCopy(map, true);
  }

  /**
   * An immutable copy of every entry of a map, in the order {@link #freeze} reads it, with the values
   * as they are: for values walked later, within the limits, by whoever records them. May throw
   * what the map throws.
   */
  public static Map<String, Object> freezeEntries(Map<String, ?> map) {
    return frozenCopy(map, false);
  }

  private static Map<String, Object> frozenCopy(Map<String, ?> map, boolean deep) {
    if (map instanceof FrozenMap) {
      @SuppressWarnings("unchecked")
      Map<String, Object> frozen = (Map<String, Object>) map;
      return frozen;
    }
    if (map.isEmpty()) {
      return FrozenMap.EMPTY;
    }
    String[] keys = new String[map.size()];
    Object[] values = new Object[map.size()];
    int i = 0;
    for (Map.Entry<?, ?> entry : inDefinedOrder((Map<?, ?>) map)) {
      if (i == keys.length) { // a map whose size() undercounts its entries
        keys = Arrays.copyOf(keys, i * 2 + 1);
        values = Arrays.copyOf(values, i * 2 + 1);
      }
      Object key = entry.getKey();
      keys[i] = key instanceof String ? (String) key : describe(key); // a raw map may hold any key
      values[i] = deep ? freezeValue(entry.getValue()) : entry.getValue();
      i++;
    }
    return frozenMapOf(keys, values, i);
  }

  /**
   * The entries of a map in its own order if it has a defined one, else by key (as text): the
   * iteration order of {@code Map.of} and {@code HashMap} may differ between JVMs.
   */
  public static <K, V> Iterable<Map.Entry<K, V>> inDefinedOrder(Map<K, V> map) {
    if (hasDefinedOrder(map)) {
      return map.entrySet();
    }
    List<Map.Entry<K, V>> entries = new ArrayList<>(map.entrySet());
    entries.sort((a, b) -> String.valueOf(a.getKey()).compareTo(String.valueOf(b.getKey())));
    return entries;
  }

  /** Whether a map's iteration order is its own (linked, sorted, already frozen) rather than the JVM's. */
  private static boolean hasDefinedOrder(Map<?, ?> map) {
    return map instanceof LinkedHashMap || map instanceof SortedMap || map instanceof FrozenMap || map.size() < 2;
  }

  /** Whether a collection's iteration order may change between JVMs (a set other than a linked or sorted one). */
  private static boolean hasNoDefinedOrder(Collection<?> items) {
    return items instanceof Set && !(items instanceof java.util.LinkedHashSet) && !(items instanceof SortedSet);
  }

  /** A frozen map over the first {@code size} entries of arrays the caller never changes below that size. */
  public static Map<String, Object> frozenMapOf(String[] keys, Object[] values, int size) {
    return size == 0 ? FrozenMap.EMPTY : new FrozenMap(keys, values, size);
  }

  /** A value as it is, if it is one the model holds, else brought to one by the guarded walk. */
  private static Object freezeValue(Object value) {
    if (value == null || value instanceof String || value instanceof Long || value instanceof Double
        || value instanceof Boolean || value instanceof FrozenList || value instanceof FrozenMap) {
      return value;
    }
    return normalize(value);
  }

  /**
   * Brings a value to a supported type, reporting what had to change. Returns null for a null
   * value (the caller decides what a top-level null means). Never throws: what user objects throw
   * ({@code toString}, iteration, map keys), and what a graph costs beyond the limits, becomes a
   * problem.
   */
  public static Object normalize(Object value, String key, Limits limits, ProblemSink sink) {
    Object scalar = scalar(value, key, limits, sink);
    if (scalar != NOT_SCALAR) {
      return scalar;
    }
    // Only a value that may hold others, or call user code, costs a walk.
    Walk walk = new Walk(key, limits, sink);
    Object normalized = walk.value(value, key, 0);
    walk.report();
    return normalized;
  }

  /** What {@link #scalar} gives for a value that is not one. */
  private static final Object NOT_SCALAR = new Object();

  /**
   * A value that holds no others, as it is stored (null stays null), or {@link #NOT_SCALAR}:
   * strings cut to the limit, integers widened to Long, floats to Double, a char or char[] a string.
   */
  private static Object scalar(Object value, String key, Limits limits, ProblemSink sink) {
    if (value instanceof String) {
      return truncate((String) value, key, limits, sink);
    }
    if (value == null || value instanceof Long || value instanceof Double || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float) {
      return ((Float) value).doubleValue();
    }
    if (value instanceof Character) {
      return String.valueOf((char) (Character) value);
    }
    if (value instanceof char[]) {
      char[] chars = (char[]) value;
      int max = limits.maxValueLength();
      return chars.length <= max ? new String(chars)
          : truncate(new String(chars, 0, max) + chars[max], key, limits, sink, chars.length);
    }
    return NOT_SCALAR;
  }

  /**
   * One walk over a user value: depth, elements per container and nodes overall are limited, so a
   * graph that shares or repeats containers costs at most {@link Limits#maxValueNodes()}; an
   * ancestor met again is a cycle and is cut at once. Every cut is counted and reported once.
   */
  private static final class Walk {
    private final String key;
    private final Limits limits;
    private final ProblemSink sink;
    private Object[] ancestors;
    private int nodesLeft;
    private long nodesCut;
    private long elementsCut;
    private int depthCuts;
    private int keysCut;
    private int cycles;
    private int unsupported;
    private String firstUnsupported;
    private int failures;
    private String firstFailure;

    Walk(String key, Limits limits, ProblemSink sink) {
      this.key = key;
      this.limits = limits;
      this.sink = sink;
      this.nodesLeft = limits.maxValueNodes();
    }

    Object value(Object value, String path, int depth) {
      nodesLeft--;
      Object scalar = scalar(value, path, limits, sink);
      if (scalar != NOT_SCALAR) {
        return scalar;
      }
      boolean container = value instanceof Map || value instanceof Collection || value.getClass().isArray();
      if (!container) {
        return unsupported(value, path);
      }
      if (ancestors == null) {
        ancestors = new Object[MAX_DEPTH];
      }
      for (int i = 0; i < depth; i++) {
        if (ancestors[i] == value) {
          cycles++;
          return truncate("<cycle: refers to itself>", path, limits, sink);
        }
      }
      if (depth >= MAX_DEPTH) {
        depthCuts++;
        return truncate("<cut: nested deeper than " + MAX_DEPTH + ">", path, limits, sink);
      }
      ancestors[depth] = value;
      try {
        return value instanceof Map ? map((Map<?, ?>) value, path, depth)
            : value instanceof Collection ? collection((Collection<?>) value, path, depth)
            : array(value, path, depth);
      } finally {
        ancestors[depth] = null;
      }
    }

    private Object map(Map<?, ?> map, String path, int depth) {
      Map<String, Object> out = new LinkedHashMap<>();
      int max = limits.maxValueElements();
      int seen = 0;
      try {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          if (seen >= max || nodesLeft <= 0) {
            cut(seen, map);
            break;
          }
          seen++;
          Object rawKey = entry.getKey();
          String nestedKey;
          if (rawKey instanceof String) {
            nestedKey = (String) rawKey;
          } else {
            nestedKey = describe(rawKey, path + " (a map key)");
            if (!(rawKey == null && nestedKey.equals("null"))) {
              noteUnsupported(rawKey == null ? "a null map key" : "a map key of type " + rawKey.getClass().getName());
            }
          }
          if (nestedKey.length() > limits.maxKeyLength()) {
            String cutKey = cutText(nestedKey, limits.maxKeyLength());
            keysCut++;
            if (sink.lostSecret(nestedKey, cutKey)) {
              nodesLeft--;
              out.put(cutKey, Redaction.MASK);
              continue;
            }
            nestedKey = cutKey;
          }
          out.put(nestedKey, value(entry.getValue(), path + "." + nestedKey, depth + 1));
        }
      } catch (Throwable t) {
        failed(path, "iterating the map", t);
      }
      // Sorted after the guarded walk, by the keys as stored: a user key's toString runs only once.
      boolean ordered;
      try {
        ordered = hasDefinedOrder(map);
      } catch (Throwable t) {
        ordered = false;
      }
      return freeze(ordered ? out : new java.util.TreeMap<>(out));
    }

    private Object collection(Collection<?> collection, String path, int depth) {
      List<Object> items = new ArrayList<>();
      int max = limits.maxValueElements();
      try {
        for (Object item : collection) {
          if (items.size() >= max || nodesLeft <= 0) {
            cut(items.size(), collection);
            break;
          }
          items.add(value(item, path, depth + 1));
        }
      } catch (Throwable t) {
        failed(path, "iterating the " + typeName(collection), t);
      }
      if (items.size() > 1 && !(collection instanceof List) && hasNoDefinedOrder(collection)) {
        items.sort((a, b) -> String.valueOf(a).compareTo(String.valueOf(b))); // stored values: toString is ours
      }
      return new FrozenList(items.toArray());
    }

    private Object array(Object array, String path, int depth) {
      int length = Array.getLength(array);
      int kept = Math.min(length, Math.min(limits.maxValueElements(), Math.max(0, nodesLeft)));
      Object[] items = new Object[kept];
      if (array instanceof long[]) {
        long[] longs = (long[]) array;
        for (int i = 0; i < kept; i++) {
          items[i] = longs[i];
        }
        nodesLeft -= kept;
      } else if (array instanceof int[]) {
        int[] ints = (int[]) array;
        for (int i = 0; i < kept; i++) {
          items[i] = (long) ints[i];
        }
        nodesLeft -= kept;
      } else if (array instanceof double[]) {
        double[] doubles = (double[]) array;
        for (int i = 0; i < kept; i++) {
          items[i] = doubles[i];
        }
        nodesLeft -= kept;
      } else {
        for (int i = 0; i < kept; i++) {
          if (nodesLeft <= 0) {
            nodesCut += length - i;
            return new FrozenList(Arrays.copyOf(items, i));
          }
          items[i] = value(Array.get(array, i), path, depth + 1);
        }
      }
      if (kept < length) {
        if (kept >= limits.maxValueElements()) {
          elementsCut += length - kept;
        } else {
          nodesCut += length - kept;
        }
      }
      return new FrozenList(items);
    }

    /** Counts what a container had beyond the {@code kept} elements; its size() is asked, guarded. */
    private void cut(int kept, Object container) {
      long size;
      try {
        size = container instanceof Map ? ((Map<?, ?>) container).size() : ((Collection<?>) container).size();
      } catch (Throwable t) {
        size = kept + 1L;
      }
      long more = Math.max(1, size - kept);
      if (nodesLeft <= 0) {
        nodesCut += more;
      } else {
        elementsCut += more;
      }
    }

    private Object unsupported(Object value, String path) {
      String type = typeName(value);
      noteUnsupported("a value of type " + type);
      return truncate(describe(value, path), path, limits, sink);
    }

    private void noteUnsupported(String what) {
      if (unsupported++ == 0) {
        firstUnsupported = what;
      }
    }

    /** The string form of a user object; what its toString does wrong becomes a failure, never an exception. */
    private String describe(Object value, String path) {
      if (value == null) {
        return "null";
      }
      try {
        String text = value.toString();
        if (text != null) {
          return text;
        }
        failure(path, typeName(value) + ".toString() returned null");
        return "<" + typeName(value) + ": toString() returned null>";
      } catch (Throwable t) {
        failure(path, typeName(value) + ".toString() threw " + t.getClass().getName());
        return "<" + typeName(value) + ": toString() threw " + t.getClass().getName() + ">";
      }
    }

    private void failed(String path, String doing, Throwable t) {
      failure(path, doing + " threw " + t.getClass().getName() + "; what was read before was kept");
    }

    private void failure(String path, String what) {
      if (failures++ == 0) {
        firstFailure = "'" + path + "': " + what;
      }
    }

    /** One problem per kind of cut, with counts: a list of a million bad elements is one problem, not a million. */
    void report() {
      if (failures > 0) {
        sink.problem(ProblemCode.UNSUPPORTED_VALUE, "value of '" + key + "' could not be read as it is: "
            + firstFailure + (failures > 1 ? " (and " + (failures - 1) + " more)" : ""),
            Map.of("key", key, "failures", (long) failures));
      }
      if (unsupported > 0) {
        sink.problem(ProblemCode.UNSUPPORTED_VALUE, "value of '" + key + "' has " + firstUnsupported
            + (unsupported > 1 ? " (and " + (unsupported - 1) + " more unsupported)" : "")
            + "; stored as its string form", Map.of("key", key, "unsupported", (long) unsupported));
      }
      if (cycles > 0 || depthCuts > 0) {
        sink.problem(ProblemCode.UNSUPPORTED_VALUE, "value of '" + key + "' "
            + (cycles > 0 ? "refers to itself" + (depthCuts > 0 ? " and " : "") : "")
            + (depthCuts > 0 ? "is nested deeper than " + MAX_DEPTH + " levels" : "") + "; the rest was cut",
            Map.of("key", key, "maxDepth", (long) MAX_DEPTH, "cycles", (long) cycles));
      }
      if (keysCut > 0) {
        sink.problem(ProblemCode.KEY_TOO_LONG, "value of '" + key + "' has " + keysCut + " map keys over the limit of "
            + limits.maxKeyLength() + " chars; cut (the values of keys that were secret as a whole are masked)",
            Map.of("key", key, "keysCut", (long) keysCut, "limit", (long) limits.maxKeyLength()));
      }
      if (elementsCut > 0 || nodesCut > 0) {
        sink.problem(ProblemCode.VALUE_TRUNCATED, "value of '" + key + "' was cut: "
            + (elementsCut > 0 ? elementsCut + " elements over the limit of " + limits.maxValueElements()
                + " per list or map" : "")
            + (elementsCut > 0 && nodesCut > 0 ? ", " : "")
            + (nodesCut > 0 ? "at least " + nodesCut + " values over the budget of " + limits.maxValueNodes()
                + " per attribute value" : "") + " were dropped and counted",
            Map.of("key", key, "elementsCut", elementsCut, "nodesCut", nodesCut,
                "maxValueElements", (long) limits.maxValueElements(), "maxValueNodes", (long) limits.maxValueNodes()));
      }
    }
  }

  private static String typeName(Object value) {
    return value.getClass().getName();
  }

  /**
   * Cuts a string longer than the value limit, keeping surrogate pairs whole, with a marker. A string
   * this cut already (its start within the limit, then the marker) and the mask are kept as they
   * are: a recorded value recorded again is not cut twice.
   */
  public static String truncate(String value, String key, Limits limits, ProblemSink sink) {
    return value.length() <= limits.maxValueLength() || isCut(value, limits.maxValueLength())
        || value.equals(Redaction.MASK) ? value : truncate(value, key, limits, sink, value.length());
  }

  private static final String CUT_MARKER = "…[truncated ";
  private static final String CUT_END = " chars]";

  /** Whether a text is what {@link #truncate} makes of a longer one: at most {@code max} chars, the marker. */
  private static boolean isCut(String text, int max) {
    if (!text.endsWith(CUT_END)) {
      return false;
    }
    int marker = text.lastIndexOf(CUT_MARKER);
    int digits = marker + CUT_MARKER.length();
    int end = text.length() - CUT_END.length();
    if (marker < 0 || marker > max || digits >= end || end - digits > 19) {
      return false;
    }
    for (int i = digits; i < end; i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static String truncate(String value, String key, Limits limits, ProblemSink sink, long originalLength) {
    int max = limits.maxValueLength();
    sink.problem(ProblemCode.VALUE_TRUNCATED,
        "value of '" + key + "' has " + originalLength + " chars, over the limit of " + max + "; truncated",
        Map.of("key", key, "length", originalLength, "limit", (long) max));
    String cut = cutText(value, max);
    return cut + CUT_MARKER + (originalLength - cut.length()) + CUT_END;
  }

  /** The first {@code max} chars of a text, one fewer if that would split a surrogate pair. */
  public static String cutText(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int cut = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
    return text.substring(0, cut);
  }

  /** The string form of any object, or a description of why it has none: for messages, never throws. */
  public static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    try {
      String text = value.toString();
      return text != null ? text : "<" + typeName(value) + ": toString() returned null>";
    } catch (Throwable t) {
      return "<" + typeName(value) + ": toString() threw " + t.getClass().getName() + ">";
    }
  }

  /** An immutable list that may hold nulls; its contents are frozen too. */
  static final class FrozenList extends AbstractList<Object> implements java.util.RandomAccess {
    private final Object[] items;

    FrozenList(Object[] items) {
      this.items = items;
    }

    @Override
    public Object get(int index) {
      return items[index];
    }

    @Override
    public int size() {
      return items.length;
    }
  }

  /** An immutable, insertion-ordered map over parallel arrays; its contents are frozen too. */
  static final class FrozenMap extends AbstractMap<String, Object> {
    static final FrozenMap EMPTY = new FrozenMap(new String[0], new Object[0], 0);

    private final String[] keys;
    private final Object[] values;
    private final int size;

    FrozenMap(String[] keys, Object[] values, int size) {
      this.keys = keys;
      this.values = values;
      this.size = size;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public boolean containsKey(Object key) {
      return indexOf(key) >= 0;
    }

    @Override
    public Object get(Object key) {
      int i = indexOf(key);
      return i < 0 ? null : values[i];
    }

    private int indexOf(Object key) {
      for (int i = 0; i < size; i++) {
        if (java.util.Objects.equals(keys[i], key)) {
          return i;
        }
      }
      return -1;
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Map.Entry<String, Object>> iterator() {
          return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
              return next < size;
            }

            @Override
            public Map.Entry<String, Object> next() {
              if (next >= size) {
                throw new NoSuchElementException();
              }
              int i = next++;
              return new SimpleImmutableEntry<>(keys[i], values[i]);
            }
          };
        }

        @Override
        public int size() {
          return size;
        }
      };
    }
  }
}
