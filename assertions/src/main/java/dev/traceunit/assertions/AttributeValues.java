package dev.traceunit.assertions;

import dev.traceunit.core.Redaction;
import dev.traceunit.core.internal.Values;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.assertj.core.data.Offset;
import org.assertj.core.presentation.Representation;

/**
 * Compares an expected attribute value with a stored one, the expected one brought to what the
 * collector stores by the collector's own rule ({@link Values}): integers as Long, floats as Double,
 * collections and arrays as lists (sets in key order), other types as their string form. So {@code 2}
 * matches a stored {@code 2L}, but {@code 2} does not match {@code 2.0}.
 */
final class AttributeValues {

  private AttributeValues() {}

  /** What went wrong, to follow "but", or null when the attribute has the expected value. */
  static String mismatch(Map<String, Object> attributes, String key, Object expected, Representation show,
      Redaction redaction) {
    if (!attributes.containsKey(key)) {
      return missing(attributes, key, show);
    }
    Object stored = attributes.get(key);
    if (Objects.equals(stored, normalize(expected))) {
      return null;
    }
    String found = "it was " + show.toStringOf(redaction.mask(key, stored));
    Object wanted = normalize(expected);
    // Only when the types differ as stored (2L against 2.0, "2" against 2): 2 and 2L are the same.
    if (stored != null && wanted != null && !typeOf(stored).equals(typeOf(wanted))) {
      found += " (a " + typeOf(stored) + ", but the expected value is stored as a " + typeOf(wanted) + ")";
    }
    return found;
  }

  private static String typeOf(Object value) {
    return value instanceof List ? "list" : value instanceof Map ? "map" : value.getClass().getSimpleName();
  }

  /** What went wrong, or null when the attribute is a number within the offset of expected. */
  static String notCloseTo(Map<String, Object> attributes, String key, double expected, Offset<Double> offset,
      Representation show, Redaction redaction) {
    if (!attributes.containsKey(key)) {
      return missing(attributes, key, show);
    }
    Object stored = attributes.get(key);
    if (!(stored instanceof Number)) {
      return "it was " + show.toStringOf(redaction.mask(key, stored)) + ", which is not a number";
    }
    double actual = ((Number) stored).doubleValue();
    double difference = Math.abs(actual - expected);
    boolean close = offset.strict ? difference < offset.value : difference <= offset.value;
    return close ? null : redaction.masks(key) ? "it was " + Redaction.MASK + ", not close enough"
        : "it was " + show.toStringOf(stored) + ", a difference of " + difference;
  }

  static String missing(Map<String, Object> attributes, String key, Representation show) {
    return attributes.isEmpty()
        ? "the span has no attributes"
        : "it has no attribute " + show.toStringOf(key) + ", only " + show.toStringOf(List.copyOf(attributes.keySet()));
  }

  /** The value as the collector would have stored it: the collector's own rule, without its limits. */
  static Object normalize(Object value) {
    return Values.normalize(value);
  }
}
