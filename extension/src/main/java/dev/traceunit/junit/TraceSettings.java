package dev.traceunit.junit;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.Limits;
import dev.traceunit.core.Redaction;
import dev.traceunit.junit.TraceExtension.Dump;
import dev.traceunit.junit.spi.ConfigKey;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * What the extension does for one test, an immutable value resolved from four layers, later ones
 * winning: defaults, configuration parameters (junit-platform.properties, -D), the {@link
 * TraceExtension.Builder}, and {@link Traced} on enclosing classes, the test class and the test
 * method. Each value is parsed once, by its {@link Setting}'s key, and kept typed.
 */
final class TraceSettings {

  /** Whether JUnit may run tests in parallel: then no collector is the fallback. JUnit's key, read as JUnit reads it. */
  private static final String PARALLEL_KEY = "junit.jupiter.execution.parallel.enabled";
  private static final Namespace STORE = Namespace.create(TraceSettings.class);
  private static final Limits LIMITS = Limits.defaults();
  private static final Instant CLOCK_DEFAULT = MockClock.create().instant();

  /**
   * One setting of a test: its configuration key (with its default and its one parser), and its
   * {@code @Traced} attribute and builder method, if it has one. A new setting is one more row here
   * (and, for {@code @Traced}, one more attribute read in {@link #attributes}).
   */
  static final class Setting<T> {
    final ConfigKey<T> key;
    /** The {@code @Traced} attribute and builder method, or null if only configuration sets it. */
    final String attribute;

    private Setting(ConfigKey<T> key, String attribute) {
      this.key = key;
      this.attribute = attribute;
    }

    @Override
    public String toString() {
      return key.name();
    }
  }

  static final Setting<Instant> CLOCK_START = new Setting<>(ConfigKey.of("traceunit.clock.start", "instant",
      CLOCK_DEFAULT, CLOCK_DEFAULT.toString(), "an ISO-8601 instant such as " + CLOCK_DEFAULT,
      "where each test's mock clock starts", Instant::parse), "clockStart");
  static final Setting<Boolean> STRICT = new Setting<>(ConfigKey.flag("traceunit.strict", true,
      "a passing test whose trace has problems fails"), "strict");
  static final Setting<Dump> DUMP = new Setting<>(ConfigKey.of("traceunit.dump", "choice", Dump.ON_FAILURE,
      Dump.ON_FAILURE.configName(), "one of on-failure, always, never", "when a test's trace is dumped",
      Dump::named), "dump");
  static final Setting<List<DumpFormat>> DUMP_FORMATS = new Setting<>(ConfigKey.of("traceunit.dump.formats", "list",
      List.of(DumpFormat.TEXT, DumpFormat.JSON), "text,json",
      "a comma-separated list of at least one of " + DumpFormat.allowedNames(), "which files a dump publishes",
      TraceSettings::formats), "dumpFormats");
  static final Setting<Integer> MAX_ATTRIBUTES = limit("max-attributes", "maxAttributes", LIMITS.maxAttributes(), 0,
      Integer.MAX_VALUE, "attributes kept on a span, event or link");
  static final Setting<Integer> MAX_KEY_LENGTH = limit("max-key-length", "maxKeyLength", LIMITS.maxKeyLength(), 1,
      Limits.MAX_KEY_LENGTH, "characters kept of an attribute key");
  static final Setting<Integer> MAX_VALUE_LENGTH = limit("max-value-length", "maxValueLength", LIMITS.maxValueLength(),
      1, Limits.MAX_VALUE_LENGTH, "characters kept of a string value");
  static final Setting<Integer> MAX_EVENTS = limit("max-events", "maxEvents", LIMITS.maxEvents(), 0, Integer.MAX_VALUE,
      "events kept on a span");
  static final Setting<Integer> MAX_LINKS = limit("max-links", "maxLinks", LIMITS.maxLinks(), 0, Integer.MAX_VALUE,
      "links kept on a span");
  static final Setting<Integer> MAX_SPANS = limit("max-spans", "maxSpans", LIMITS.maxSpans(), 0, Integer.MAX_VALUE,
      "spans kept in a test");
  static final Setting<Integer> MAX_PROBLEMS = limit("max-problems", "maxProblems", LIMITS.maxProblems(), 1,
      Integer.MAX_VALUE, "problems kept in a test");
  static final Setting<Integer> MAX_NAME_LENGTH = limit("max-name-length", "maxNameLength", LIMITS.maxNameLength(), 1,
      Limits.MAX_VALUE_LENGTH, "characters kept of a span, event or kind name");
  static final Setting<Integer> MAX_VALUE_ELEMENTS = limit("max-value-elements", "maxValueElements",
      LIMITS.maxValueElements(), 0, Integer.MAX_VALUE, "elements kept of one list, array or map in a value");
  static final Setting<Integer> MAX_VALUE_NODES = limit("max-value-nodes", "maxValueNodes", LIMITS.maxValueNodes(), 1,
      Integer.MAX_VALUE, "values kept of one attribute value, nested ones included");
  static final Setting<Boolean> CAPTURE_OUTPUT = new Setting<>(ConfigKey.flag("traceunit.capture.output", false,
      "lines printed to System.out and System.err are recorded"), "captureOutput");
  /** Secret: a pattern mistyped as the value it should mask must not be printed by the message about it. */
  static final Setting<Redaction> REDACT = new Setting<>(ConfigKey.of("traceunit.redact", "patterns",
      Redaction.defaults(), "the patterns under Secrets in dumps",
      "none (no masking) or a comma-separated list of at least one regular expression matched against"
          + " attribute keys", "which attribute values every text masks", TraceSettings::redaction).secret(), "redact");
  static final Setting<Path> SNAPSHOTS_DIR = new Setting<>(ConfigKey.of("traceunit.snapshots.dir", "folder",
      Path.of("src", "test", "resources", "traceunit-snapshots"), "src/test/resources/traceunit-snapshots",
      "a folder path", "where snapshot files are, relative to the working directory", TraceSettings::folder), null);
  static final Setting<Boolean> SNAPSHOTS_UPDATE = new Setting<>(ConfigKey.flag("traceunit.snapshots.update", false,
      "every snapshot a test compares is rewritten"), null);
  /** {@code true} when a missing snapshot passes. */
  static final Setting<Boolean> SNAPSHOTS_MISSING = new Setting<>(ConfigKey.of("traceunit.snapshots.missing",
      "choice", false, "fail", "fail or pass", "whether a missing snapshot fails its test (it is written either way)",
      value -> value.equals("pass") ? Boolean.TRUE : value.equals("fail") ? Boolean.FALSE : null), null);

  /** Every setting, in the order the configuration table lists them. */
  static final List<Setting<?>> ALL = List.of(CLOCK_START, STRICT, DUMP, DUMP_FORMATS, MAX_ATTRIBUTES,
      MAX_KEY_LENGTH, MAX_VALUE_LENGTH, MAX_EVENTS, MAX_LINKS, MAX_SPANS, MAX_PROBLEMS, MAX_NAME_LENGTH,
      MAX_VALUE_ELEMENTS, MAX_VALUE_NODES, CAPTURE_OUTPUT, REDACT, SNAPSHOTS_DIR, SNAPSHOTS_UPDATE, SNAPSHOTS_MISSING);

  /** The settings of a test that nothing configures. */
  static final TraceSettings DEFAULTS = defaults();

  /** A typed value for every setting in {@link #ALL}; never changed. */
  private final Map<Setting<?>, Object> values;
  private final boolean parallel;
  /** The limit settings as the collector takes them. */
  private final Limits limits;

  private TraceSettings(Map<Setting<?>, Object> values, boolean parallel) {
    this.values = Map.copyOf(values);
    this.parallel = parallel;
    this.limits = new Limits(get(MAX_ATTRIBUTES), get(MAX_KEY_LENGTH), get(MAX_VALUE_LENGTH), get(MAX_EVENTS),
        get(MAX_LINKS), get(MAX_SPANS), get(MAX_PROBLEMS), get(MAX_NAME_LENGTH), get(MAX_VALUE_ELEMENTS),
        get(MAX_VALUE_NODES));
  }

  private static TraceSettings defaults() {
    Map<Setting<?>, Object> values = new HashMap<>();
    for (Setting<?> setting : ALL) {
      values.put(setting, setting.key.defaultValue());
    }
    return new TraceSettings(values, false);
  }

  /** {@return the value of {@code setting}} */
  <T> T get(Setting<T> setting) {
    @SuppressWarnings("unchecked") // values holds a T for every Setting<T>: only with(…) and the constructor put
    T value = (T) values.get(setting);
    return value;
  }

  /** {@return these settings with {@code setting} set to {@code value}} */
  <T> TraceSettings with(Setting<T> setting, T value) {
    return with(Map.<Setting<?>, Object>of(setting, value));
  }

  private TraceSettings with(Map<Setting<?>, Object> changed) {
    if (changed.isEmpty()) {
      return this;
    }
    Map<Setting<?>, Object> copy = new HashMap<>(values);
    copy.putAll(changed);
    return new TraceSettings(copy, parallel);
  }

  Instant clockStart() {
    return get(CLOCK_START);
  }

  boolean strict() {
    return get(STRICT);
  }

  Dump dump() {
    return get(DUMP);
  }

  List<DumpFormat> formats() {
    return get(DUMP_FORMATS);
  }

  Limits limits() {
    return limits;
  }

  boolean captureOutput() {
    return get(CAPTURE_OUTPUT);
  }

  Redaction redaction() {
    return get(REDACT);
  }

  /** Where snapshot files are, and how {@code matchesSnapshot} treats them. */
  Path snapshotsDir() {
    return get(SNAPSHOTS_DIR);
  }

  boolean snapshotsUpdate() {
    return get(SNAPSHOTS_UPDATE);
  }

  boolean snapshotsMissingPass() {
    return get(SNAPSHOTS_MISSING);
  }

  /** Whether JUnit may run tests in parallel ({@value #PARALLEL_KEY}): then no collector is the fallback. */
  boolean parallel() {
    return parallel;
  }

  /** A value given to {@link TraceExtension.Builder}: typed, checked when it was given. */
  record Given<T>(Setting<T> setting, T value) {}

  /**
   * The settings for the test of {@code context}, given the extension's builder values. What the
   * configuration, the builder and the enclosing classes give is resolved once per run and class
   * and kept in their stores; only the test's own elements are read for each test.
   */
  static TraceSettings resolve(ExtensionContext context, Collection<Given<?>> builderValues) {
    Optional<ExtensionContext> parent = context.getParent();
    TraceSettings settings = parent.isPresent() ? cached(parent.get(), builderValues)
        : fromConfiguration(context, builderValues);
    return settings.withTraced(context);
  }

  /** The settings of {@code context} (the engine or a class), resolved on first use and kept in its store. */
  private static TraceSettings cached(ExtensionContext context, Collection<Given<?>> builderValues) {
    // A store also answers with its ancestors' values, so the key names the context it belongs to.
    ResolvedIn key = new ResolvedIn(context.getUniqueId(), builderValues);
    ExtensionContext.Store store = context.getStore(STORE);
    TraceSettings settings = store.get(key, TraceSettings.class);
    if (settings == null) {
      settings = resolve(context, builderValues); // a bad value throws: nothing is kept, each test fails on its own
      store.put(key, settings);
    }
    return settings;
  }

  private static TraceSettings fromConfiguration(ExtensionContext context, Collection<Given<?>> builderValues) {
    ConfigKeys.checkGiven(TraceExtension.PLUGINS, key -> context.getConfigurationParameter(key).isPresent());
    ConfigKeys.checkValues(TraceExtension.PLUGINS, context::getConfigurationParameter);
    Map<Setting<?>, Object> values = new HashMap<>();
    for (Setting<?> setting : ALL) {
      values.put(setting, setting.key.read(context::getConfigurationParameter));
    }
    for (Given<?> given : builderValues) {
      values.put(given.setting(), given.value());
    }
    // JUnit's own key: read as JUnit reads it, so that traceunit agrees with JUnit on whether tests run in parallel.
    boolean parallel = context.getConfigurationParameter(PARALLEL_KEY).map(Boolean::parseBoolean).orElse(false);
    return new TraceSettings(values, parallel);
  }

  /** Applies {@link Traced} on the element of {@code context} (a class or the test method), if any. */
  private TraceSettings withTraced(ExtensionContext context) {
    Optional<AnnotatedElement> element = context.getElement();
    Optional<Traced> traced = element.flatMap(at -> AnnotationSupport.findAnnotation(at, Traced.class));
    if (traced.isEmpty()) {
      return this;
    }
    String on = describe(element.get());
    Map<Setting<?>, Object> changed = new HashMap<>();
    for (Map.Entry<Setting<?>, String> entry : attributes(traced.get()).entrySet()) {
      Setting<?> setting = entry.getKey();
      changed.put(setting, setting.key.parse(entry.getValue(), "@Traced(" + setting.attribute + ") on " + on));
    }
    return with(changed);
  }

  /** The store key of the settings resolved for one context and one set of builder values. */
  private record ResolvedIn(String contextId, Collection<Given<?>> builderValues) {}

  /**
   * The attributes an annotation sets, as written; empty strings, empty arrays and {@link
   * Traced#UNSET} mean "not set". Any other negative number is passed on, and rejected like any bad value.
   */
  static Map<Setting<?>, String> attributes(Traced traced) {
    Map<Setting<?>, String> set = new HashMap<>();
    putText(set, CLOCK_START, traced.clockStart());
    putText(set, STRICT, traced.strict());
    putText(set, DUMP, traced.dump());
    putText(set, DUMP_FORMATS, String.join(",", traced.dumpFormats()));
    putLimit(set, MAX_ATTRIBUTES, traced.maxAttributes());
    putLimit(set, MAX_KEY_LENGTH, traced.maxKeyLength());
    putLimit(set, MAX_VALUE_LENGTH, traced.maxValueLength());
    putLimit(set, MAX_EVENTS, traced.maxEvents());
    putLimit(set, MAX_LINKS, traced.maxLinks());
    putLimit(set, MAX_SPANS, traced.maxSpans());
    putLimit(set, MAX_PROBLEMS, traced.maxProblems());
    putLimit(set, MAX_NAME_LENGTH, traced.maxNameLength());
    putLimit(set, MAX_VALUE_ELEMENTS, traced.maxValueElements());
    putLimit(set, MAX_VALUE_NODES, traced.maxValueNodes());
    putText(set, CAPTURE_OUTPUT, traced.captureOutput());
    putText(set, REDACT, String.join(",", traced.redact()));
    return set;
  }

  private static void putText(Map<Setting<?>, String> set, Setting<?> setting, String value) {
    if (!value.isEmpty()) {
      set.put(setting, value);
    }
  }

  private static void putLimit(Map<Setting<?>, String> set, Setting<?> setting, int value) {
    if (value != Traced.UNSET) {
      set.put(setting, Integer.toString(value));
    }
  }

  private static String describe(AnnotatedElement element) {
    if (element instanceof Method) {
      Method method = (Method) element;
      return method.getDeclaringClass().getName() + "." + method.getName() + "()";
    }
    return element instanceof Class ? ((Class<?>) element).getName() : String.valueOf(element);
  }

  private static Setting<Integer> limit(String name, String attribute, int defaultValue, int min, int max,
      String meaning) {
    return new Setting<>(ConfigKey.wholeNumber("traceunit.limits." + name, defaultValue, min, max, meaning), attribute);
  }

  private static List<DumpFormat> formats(String value) {
    Set<DumpFormat> formats = new LinkedHashSet<>();
    for (String name : value.split(",", -1)) {
      formats.add(DumpFormat.named(name.trim()));
    }
    return List.copyOf(formats);
  }

  private static Path folder(String value) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException("empty");
    }
    return Path.of(value);
  }

  /** Redaction's own message quotes the patterns: this one says what is wrong without them. */
  private static Redaction redaction(String value) {
    try {
      return Redaction.parse(value);
    } catch (IllegalArgumentException e) {
      if (value.isBlank()) {
        throw new IllegalArgumentException("is empty", null);
      }
      if (e.getCause() instanceof PatternSyntaxException) {
        PatternSyntaxException syntax = (PatternSyntaxException) e.getCause();
        throw new IllegalArgumentException("holds a pattern that is not a regular expression (" + syntax.getDescription()
            + (syntax.getIndex() >= 0 ? " near index " + syntax.getIndex() : "") + ")", null);
      }
      throw new IllegalArgumentException("holds an empty pattern", null);
    }
  }
}
