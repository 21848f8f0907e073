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
 * @param maxKeyLength characters in an attribute key, default 256
 * @param maxValueLength characters in a string value, default 131072; longer ones are truncated
 *     with a marker
 * @param maxEvents events per span, default 1024
 * @param maxLinks links per span, default 128
 * @param maxSpans spans per collector, default 1,000,000
 */
public record Limits(
    int maxAttributes, int maxKeyLength, int maxValueLength, int maxEvents, int maxLinks, int maxSpans) {

  private static final Limits DEFAULTS = new Limits(128, 256, 131_072, 1024, 128, 1_000_000);

  /** Checks every limit; each must be at least 0 (key and value lengths at least 1). */
  public Limits {
    atLeast("maxAttributes", maxAttributes, 0);
    atLeast("maxKeyLength", maxKeyLength, 1);
    atLeast("maxValueLength", maxValueLength, 1);
    atLeast("maxEvents", maxEvents, 0);
    atLeast("maxLinks", maxLinks, 0);
    atLeast("maxSpans", maxSpans, 0);
  }

  /** 128 attributes, keys of 256 chars, values of 131072 chars, 1024 events, 128 links, 1M spans. */
  public static Limits defaults() {
    return DEFAULTS;
  }

  public Limits withMaxAttributes(int value) {
    return new Limits(value, maxKeyLength, maxValueLength, maxEvents, maxLinks, maxSpans);
  }

  public Limits withMaxKeyLength(int value) {
    return new Limits(maxAttributes, value, maxValueLength, maxEvents, maxLinks, maxSpans);
  }

  public Limits withMaxValueLength(int value) {
    return new Limits(maxAttributes, maxKeyLength, value, maxEvents, maxLinks, maxSpans);
  }

  public Limits withMaxEvents(int value) {
    return new Limits(maxAttributes, maxKeyLength, maxValueLength, value, maxLinks, maxSpans);
  }

  public Limits withMaxLinks(int value) {
    return new Limits(maxAttributes, maxKeyLength, maxValueLength, maxEvents, value, maxSpans);
  }

  public Limits withMaxSpans(int value) {
    return new Limits(maxAttributes, maxKeyLength, maxValueLength, maxEvents, maxLinks, value);
  }

  private static void atLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + " but was " + value);
    }
  }
}
