package dev.traceunit.core;

import java.lang.reflect.Array;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
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
 * containers the model hands out.
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
final class Values {

  /** Deeper nesting than this is cut; it also stops cyclic maps and lists. */
  static final int MAX_DEPTH = 32;

  private Values() {}

  /** Receives the problems found while normalising a value. */
  interface ProblemSink {
    void problem(ProblemCode code, String message, Map<String, Object> context);
  }

  /** A mutable, insertion-ordered copy of a map, or an empty one for null. */
  static Map<String, Object> copyOf(Map<String, ?> map) {
    return map == null ? new LinkedHashMap<>() : new LinkedHashMap<>(map);
  }

  /** An immutable, insertion-ordered, deep copy of a map; already frozen maps are returned as is. */
  static Map<String, Object> freeze(Map<String, ?> map) {
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
    for (Map.Entry<String, ?> entry : inDefinedOrder(map)) {
      keys[i] = entry.getKey();
      values[i] = freezeValue(entry.getValue());
      i++;
    }
    return new FrozenMap(keys, values, i);
  }

  /**
   * The entries of a map in its own order if it has a defined one, else by key (as text): the
   * iteration order of {@code Map.of} and {@code HashMap} may differ between JVMs.
   */
  static <K, V> Iterable<Map.Entry<K, V>> inDefinedOrder(Map<K, V> map) {
    if (map instanceof LinkedHashMap || map instanceof SortedMap || map instanceof FrozenMap || map.size() < 2) {
      return map.entrySet();
    }
    List<Map.Entry<K, V>> entries = new ArrayList<>(map.entrySet());
    entries.sort((a, b) -> String.valueOf(a.getKey()).compareTo(String.valueOf(b.getKey())));
    return entries;
  }

  /** Whether a collection's iteration order may change between JVMs (a set other than a linked or sorted one). */
  private static boolean hasNoDefinedOrder(Collection<?> items) {
    return items instanceof Set && !(items instanceof java.util.LinkedHashSet) && !(items instanceof SortedSet)
        && items.size() > 1;
  }

  /** A frozen map over the first {@code size} entries of arrays the caller never changes below that size. */
  static Map<String, Object> frozenMapOf(String[] keys, Object[] values, int size) {
    return size == 0 ? FrozenMap.EMPTY : new FrozenMap(keys, values, size);
  }

  @SuppressWarnings("unchecked")
  private static Object freezeValue(Object value) {
    if (value instanceof Map) {
      return freeze((Map<String, ?>) value);
    }
    if (value instanceof FrozenList) {
      return value;
    }
    if (value instanceof List) {
      List<?> list = (List<?>) value;
      Object[] items = new Object[list.size()];
      int i = 0;
      for (Object item : list) {
        items[i++] = freezeValue(item);
      }
      return new FrozenList(items);
    }
    return value;
  }

  /**
   * Brings a value to a supported type, reporting what had to change. Returns null for a null
   * value (the caller decides what a top-level null means).
   */
  static Object normalize(Object value, String key, Limits limits, ProblemSink sink) {
    return normalize(value, key, limits, sink, 0);
  }

  private static Object normalize(Object value, String key, Limits limits, ProblemSink sink, int depth) {
    if (value == null) {
      return null;
    }
    if (value instanceof String) {
      return truncate((String) value, key, limits, sink);
    }
    if (value instanceof Long || value instanceof Double || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float) {
      return ((Float) value).doubleValue();
    }
    if (value instanceof Map || value instanceof Collection || value.getClass().isArray()) {
      if (depth >= MAX_DEPTH) {
        sink.problem(ProblemCode.UNSUPPORTED_VALUE,
            "value of '" + key + "' is nested deeper than " + MAX_DEPTH + " levels (or is cyclic); the rest was cut",
            Map.of("key", key, "maxDepth", (long) MAX_DEPTH));
        return "<cut: nested deeper than " + MAX_DEPTH + ">";
      }
      if (value instanceof Map) {
        return normalizeMap((Map<?, ?>) value, key, limits, sink, depth + 1);
      }
      List<Object> items = new ArrayList<>();
      if (value instanceof Collection) {
        for (Object item : (Collection<?>) value) {
          items.add(normalize(item, key, limits, sink, depth + 1));
        }
        if (hasNoDefinedOrder((Collection<?>) value)) {
          items.sort((a, b) -> String.valueOf(a).compareTo(String.valueOf(b)));
        }
      } else {
        int length = Array.getLength(value);
        for (int i = 0; i < length; i++) {
          items.add(normalize(Array.get(value, i), key, limits, sink, depth + 1));
        }
      }
      return new FrozenList(items.toArray());
    }
    String text = describe(value);
    sink.problem(ProblemCode.UNSUPPORTED_VALUE,
        "value of '" + key + "' has unsupported type " + value.getClass().getName()
            + "; stored as its string form",
        Map.of("key", key, "type", value.getClass().getName()));
    return truncate(text, key, limits, sink);
  }

  private static Object normalizeMap(Map<?, ?> map, String key, Limits limits, ProblemSink sink, int depth) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : inDefinedOrder(map)) {
      Object rawKey = entry.getKey();
      String nestedKey;
      if (rawKey instanceof String) {
        nestedKey = (String) rawKey;
      } else {
        nestedKey = String.valueOf(rawKey);
        sink.problem(ProblemCode.UNSUPPORTED_VALUE,
            "map key " + nestedKey + " in '" + key + "' is not a String; stored as its string form",
            Map.of("key", key));
      }
      out.put(nestedKey, normalize(entry.getValue(), key + "." + nestedKey, limits, sink, depth));
    }
    return freeze(out);
  }

  /** Cuts a string longer than the value limit, keeping surrogate pairs whole, with a marker. */
  static String truncate(String value, String key, Limits limits, ProblemSink sink) {
    int max = limits.maxValueLength();
    if (value.length() <= max) {
      return value;
    }
    int cut = max;
    if (Character.isHighSurrogate(value.charAt(cut - 1))) {
      cut--;
    }
    sink.problem(ProblemCode.VALUE_TRUNCATED,
        "value of '" + key + "' has " + value.length() + " chars, over the limit of " + max + "; truncated",
        Map.of("key", key, "length", (long) value.length(), "limit", (long) max));
    return value.substring(0, cut) + "…[truncated " + (value.length() - cut) + " chars]";
  }

  private static String describe(Object value) {
    try {
      return String.valueOf(value);
    } catch (RuntimeException e) {
      return "<" + value.getClass().getName() + ": toString() threw " + e.getClass().getName() + ">";
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
