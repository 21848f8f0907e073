package dev.traceunit.assertions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.regex.PatternSyntaxException;

/**
 * How one {@code matchesSnapshot} call names and compares its snapshot: an immutable value, each
 * method returns a changed copy. What is left out is left out of the file too, and the file's header
 * says so.
 *
 * <pre>{@code
 * assertThat(spans).matchesSnapshot(Snapshot.named("fan-out")
 *     .ignoringFields("threadName", "duration")
 *     .ignoringAttributes("http\\..*")
 *     .siblings(SiblingOrder.ANY));
 * }</pre>
 */
public final class Snapshot {

  /** The fields of a span that {@link #ignoringFields} takes, named as in {@code RecordedSpan}. */
  public static final List<String> FIELDS = List.of("kind", "startOffset", "duration", "attributes", "events",
      "links", "status", "error", "threadName");

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
  private static final Snapshot DEFAULT = new Snapshot(null, Set.of(), List.of(), SiblingOrder.START);

  private final String name;
  private final Set<String> ignoredFields;
  private final List<Pattern> ignoredAttributes;
  private final SiblingOrder siblings;

  private Snapshot(String name, Set<String> ignoredFields, List<Pattern> ignoredAttributes, SiblingOrder siblings) {
    this.name = name;
    this.ignoredFields = ignoredFields;
    this.ignoredAttributes = ignoredAttributes;
    this.siblings = siblings;
  }

  /** {@return the test's own snapshot, every field compared, siblings in start order} */
  public static Snapshot of() {
    return DEFAULT;
  }

  /**
   * One of several snapshots of a test, e.g. {@code "after-retry"}: the file {@code
   * <test>.after-retry.trace.txt}.
   *
   * @param name the snapshot's name
   * @return the snapshot
   * @throws IllegalArgumentException unless the name is letters, digits, {@code -} and {@code _}
   */
  public static Snapshot named(String name) {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("snapshot name '" + name + "' is not allowed: use letters, digits, '-' and"
          + " '_', starting with a letter or digit (it becomes part of a file name)");
    }
    return new Snapshot(name, DEFAULT.ignoredFields, DEFAULT.ignoredAttributes, DEFAULT.siblings);
  }

  /**
   * {@return a copy that leaves these span fields out, some of {@link #FIELDS}}
   *
   * @param fields the fields to leave out
   * @throws IllegalArgumentException for a field not in {@link #FIELDS}
   */
  public Snapshot ignoringFields(String... fields) {
    Set<String> ignored = new LinkedHashSet<>(ignoredFields);
    for (String field : Objects.requireNonNull(fields, "fields")) {
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException("'" + field + "' is not a field a snapshot compares; allowed: "
            + String.join(", ", FIELDS));
      }
      ignored.add(field);
    }
    return new Snapshot(name, Collections.unmodifiableSet(ignored), ignoredAttributes, siblings);
  }

  /**
   * {@return a copy that leaves out attributes (of spans and events) whose whole key matches one of these
   * regular expressions}
   *
   * @param keyPatterns regular expressions for the keys to leave out
   * @throws IllegalArgumentException for a pattern that is not a regular expression
   */
  public Snapshot ignoringAttributes(String... keyPatterns) {
    List<Pattern> patterns = new ArrayList<>(ignoredAttributes);
    for (String pattern : Objects.requireNonNull(keyPatterns, "keyPatterns")) {
      try {
        patterns.add(Pattern.compile(Objects.requireNonNull(pattern, "keyPattern")));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("attribute key pattern '" + pattern + "' is not a regular expression: "
            + e.getDescription(), e);
      }
    }
    return new Snapshot(name, ignoredFields, List.copyOf(patterns), siblings);
  }

  /**
   * {@return a copy that compares children in this order: {@link SiblingOrder#ANY} for a concurrent fan-out}
   *
   * @param order how children are compared
   */
  public Snapshot siblings(SiblingOrder order) {
    return new Snapshot(name, ignoredFields, ignoredAttributes, Objects.requireNonNull(order, "order"));
  }

  String name() {
    return name;
  }

  boolean compares(String field) {
    return !ignoredFields.contains(field);
  }

  boolean comparesAttribute(String key) {
    for (Pattern pattern : ignoredAttributes) {
      if (pattern.matcher(key).matches()) {
        return false;
      }
    }
    return true;
  }

  SiblingOrder siblingOrder() {
    return siblings;
  }

  /** What the file's header says about the comparison; empty for the defaults. */
  List<String> describe() {
    List<String> lines = new ArrayList<>();
    if (!ignoredFields.isEmpty()) {
      lines.add("ignoring fields: " + String.join(", ", ignoredFields));
    }
    if (!ignoredAttributes.isEmpty()) {
      lines.add("ignoring attributes: "
          + ignoredAttributes.stream().map(Pattern::pattern).collect(Collectors.joining(", ")));
    }
    if (siblings == SiblingOrder.ANY) {
      lines.add("siblings in any order");
    }
    return lines;
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>(describe());
    parts.add(0, name == null ? "the test's snapshot" : "snapshot " + name);
    return String.join("; ", parts);
  }
}
