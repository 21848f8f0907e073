package dev.traceunit.core;

/**
 * How much a collector keeps. Whatever is cut is counted and recorded as a {@link Problem}:
 * nothing disappears silently.
 *
 * <pre>{@code
 * Limits limits = Limits.defaults().withMaxSpans(10_000).withMaxEvents(64);
 * }</pre>
 *
 * @param maxAttributes attributes per span (and per event or link), default 128
 * @param maxKeyLength characters in an attribute key, default 256, at most {@value #MAX_KEY_LENGTH}
 * @param maxValueLength characters in a string value, default 131072, at most {@value #MAX_VALUE_LENGTH}
 *     (what a JSON dump can be read back with); longer ones are truncated with a marker
 * @param maxEvents events per span, default 1024
 * @param maxLinks links per span, default 128
 * @param maxSpans spans per collector, default 1,000,000
 * @param maxProblems problems per collector, default 10,000; later ones are counted in one last
 *     {@link ProblemCode#PROBLEM_LIMIT} problem
 * @param maxNameLength characters in a span, event or kind name, default 1024
 * @param maxValueElements elements of one list, array or map in a value, default 1024
 * @param maxValueNodes values (elements, entries and nested containers together) kept of one
 *     attribute value, default 10,000: a graph that shares or repeats containers costs at most this
 *     much, however often it refers to itself
 */
public record Limits(
    int maxAttributes, int maxKeyLength, int maxValueLength, int maxEvents, int maxLinks, int maxSpans,
    int maxProblems, int maxNameLength, int maxValueElements, int maxValueNodes) {

  /** The largest {@link #maxValueLength()}: half of what Jackson reads in one string by default. */
  public static final int MAX_VALUE_LENGTH = 10_000_000;
  /** The largest {@link #maxKeyLength()}: a fifth of what Jackson reads in one field name by default. */
  public static final int MAX_KEY_LENGTH = 10_000;

  private static final Limits DEFAULTS = new Limits(128, 256, 131_072, 1024, 128, 1_000_000);

  /**
   * Checks every limit: each at least 0 (lengths and the node budget at least 1), lengths within their maximum.
   *
   * @param maxAttributes attributes per span (and per event or link), default 128
   * @param maxKeyLength characters in an attribute key, default 256, at most {@value #MAX_KEY_LENGTH}
   * @param maxValueLength characters in a string value, default 131072, at most {@value #MAX_VALUE_LENGTH}
   *     (what a JSON dump can be read back with); longer ones are truncated with a marker
   * @param maxEvents events per span, default 1024
   * @param maxLinks links per span, default 128
   * @param maxSpans spans per collector, default 1,000,000
   * @param maxProblems problems per collector, default 10,000; later ones are counted in one last
   *     {@link ProblemCode#PROBLEM_LIMIT} problem
   * @param maxNameLength characters in a span, event or kind name, default 1024
   * @param maxValueElements elements of one list, array or map in a value, default 1024
   * @param maxValueNodes values (elements, entries and nested containers together) kept of one
   *     attribute value, default 10,000: a graph that shares or repeats containers costs at most this
   *     much, however often it refers to itself
   */
  public Limits {
    atLeast("maxAttributes", maxAttributes, 0);
    within("maxKeyLength", maxKeyLength, 1, MAX_KEY_LENGTH);
    within("maxValueLength", maxValueLength, 1, MAX_VALUE_LENGTH);
    atLeast("maxEvents", maxEvents, 0);
    atLeast("maxLinks", maxLinks, 0);
    atLeast("maxSpans", maxSpans, 0);
    atLeast("maxProblems", maxProblems, 1);
    within("maxNameLength", maxNameLength, 1, MAX_VALUE_LENGTH);
    atLeast("maxValueElements", maxValueElements, 0);
    atLeast("maxValueNodes", maxValueNodes, 1);
  }

  /**
   * The first six limits as given, the others at their defaults.
   *
   * @param maxAttributes attributes per span (and per event or link)
   * @param maxKeyLength characters in an attribute key
   * @param maxValueLength characters in a string value
   * @param maxEvents events per span
   * @param maxLinks links per span
   * @param maxSpans spans per collector
   */
  public Limits(int maxAttributes, int maxKeyLength, int maxValueLength, int maxEvents, int maxLinks, int maxSpans) {
    this(maxAttributes, maxKeyLength, maxValueLength, maxEvents, maxLinks, maxSpans, 10_000, 1024, 1024, 10_000);
  }

  /**
   * 128 attributes, keys of 256 chars, values of 131072 chars, 1024 events, 128 links, 1M spans,
   * 10,000 problems, names of 1024 chars, 1024 elements and 10,000 nodes per value.
   *
   * @return the default limits
   */
  public static Limits defaults() {
    return DEFAULTS;
  }

  /**
   * A copy with another attribute limit (per span, event or link).
   *
   * @param value at least 0
   * @return the new limits
   */
  public Limits withMaxAttributes(int value) {
    return with(ATTRIBUTES, value);
  }

  /**
   * A copy with another key-length limit.
   *
   * @param value from 1 to {@value #MAX_KEY_LENGTH}
   * @return the new limits
   */
  public Limits withMaxKeyLength(int value) {
    return with(KEY_LENGTH, value);
  }

  /**
   * A copy with another limit for string values.
   *
   * @param value from 1 to {@value #MAX_VALUE_LENGTH}
   * @return the new limits
   */
  public Limits withMaxValueLength(int value) {
    return with(VALUE_LENGTH, value);
  }

  /**
   * A copy with another event limit per span.
   *
   * @param value at least 0
   * @return the new limits
   */
  public Limits withMaxEvents(int value) {
    return with(EVENTS, value);
  }

  /**
   * A copy with another link limit per span.
   *
   * @param value at least 0
   * @return the new limits
   */
  public Limits withMaxLinks(int value) {
    return with(LINKS, value);
  }

  /**
   * A copy with another span limit per collector.
   *
   * @param value at least 0
   * @return the new limits
   */
  public Limits withMaxSpans(int value) {
    return with(SPANS, value);
  }

  /**
   * A copy with another problem limit per collector.
   *
   * @param value at least 1
   * @return the new limits
   */
  public Limits withMaxProblems(int value) {
    return with(PROBLEMS, value);
  }

  /**
   * A copy with another limit for span, event and kind names.
   *
   * @param value from 1 to {@value #MAX_VALUE_LENGTH}
   * @return the new limits
   */
  public Limits withMaxNameLength(int value) {
    return with(NAME_LENGTH, value);
  }

  /**
   * A copy with another limit for the elements of one list, array or map in a value.
   *
   * @param value at least 0
   * @return the new limits
   */
  public Limits withMaxValueElements(int value) {
    return with(VALUE_ELEMENTS, value);
  }

  /**
   * A copy with another limit for the values kept of one attribute.
   *
   * @param value at least 1
   * @return the new limits
   */
  public Limits withMaxValueNodes(int value) {
    return with(VALUE_NODES, value);
  }

  // The components in their order, for with(): each wither changes one and the constructor checks all.
  private static final int ATTRIBUTES = 0;
  private static final int KEY_LENGTH = 1;
  private static final int VALUE_LENGTH = 2;
  private static final int EVENTS = 3;
  private static final int LINKS = 4;
  private static final int SPANS = 5;
  private static final int PROBLEMS = 6;
  private static final int NAME_LENGTH = 7;
  private static final int VALUE_ELEMENTS = 8;
  private static final int VALUE_NODES = 9;

  /** A copy with the component at {@code index} set to {@code value}. */
  private Limits with(int index, int value) {
    int[] limits = {maxAttributes, maxKeyLength, maxValueLength, maxEvents, maxLinks, maxSpans, maxProblems,
        maxNameLength, maxValueElements, maxValueNodes};
    limits[index] = value;
    return new Limits(limits[0], limits[1], limits[2], limits[3], limits[4], limits[5], limits[6], limits[7],
        limits[8], limits[9]);
  }

  private static void atLeast(String name, int value, int min) {
    within(name, value, min, Integer.MAX_VALUE);
  }

  private static void within(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be " + (max == Integer.MAX_VALUE ? "at least " + min
          : "from " + min + " to " + max) + " but was " + value);
    }
  }
}
