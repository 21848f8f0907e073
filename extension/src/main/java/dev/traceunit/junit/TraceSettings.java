package dev.traceunit.junit;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.Limits;
import dev.traceunit.core.Redaction;
import dev.traceunit.junit.TraceExtension.Dump;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * What the extension does for one test, resolved from four layers, later ones winning: defaults,
 * configuration parameters (junit-platform.properties, -D), the {@link TraceExtension.Builder},
 * and {@link Traced} on enclosing classes, the test class and the test method.
 */
final class TraceSettings {

  static final Instant DEFAULT_CLOCK_START = MockClock.DEFAULT_START;
  static final Path DEFAULT_SNAPSHOTS_DIR = Path.of("src", "test", "resources", "traceunit-snapshots");

  Instant clockStart = DEFAULT_CLOCK_START;
  boolean strict = true;
  Dump dump = Dump.ON_FAILURE;
  List<DumpFormat> formats = List.of(DumpFormat.TEXT, DumpFormat.JSON);
  Limits limits = Limits.defaults();
  boolean captureOutput;
  Redaction redaction = Redaction.defaults();
  /** Where snapshot files are, and how {@code matchesSnapshot} treats them. */
  Path snapshotsDir = DEFAULT_SNAPSHOTS_DIR;
  boolean snapshotsUpdate;
  boolean snapshotsMissingPass;
  /** Whether JUnit may run tests in parallel ({@value #PARALLEL_KEY}): then no collector is the fallback. */
  boolean parallel;

  private static final String PARALLEL_KEY = "junit.jupiter.execution.parallel.enabled";
  private static final Namespace STORE = Namespace.create(TraceSettings.class);

  /** One setting: its configuration key, its {@code @Traced} attribute and how to read a value. */
  enum Setting {
    CLOCK_START("traceunit.clock.start", "clockStart", "an ISO-8601 instant such as 2000-01-01T00:00:00Z") {
      @Override
      void apply(String value, TraceSettings to) {
        to.clockStart = Instant.parse(value);
      }
    },
    STRICT("traceunit.strict", "strict", "true or false") {
      @Override
      void apply(String value, TraceSettings to) {
        to.strict = parseBoolean(value);
      }
    },
    DUMP("traceunit.dump", "dump", "one of on-failure, always, never") {
      @Override
      void apply(String value, TraceSettings to) {
        to.dump = Dump.named(value);
      }
    },
    DUMP_FORMATS("traceunit.dump.formats", "dumpFormats",
        "a comma-separated list of at least one of " + DumpFormat.allowedNames()) {
      @Override
      void apply(String value, TraceSettings to) {
        Set<DumpFormat> formats = new LinkedHashSet<>();
        for (String name : value.split(",", -1)) {
          formats.add(DumpFormat.named(name.trim()));
        }
        to.formats = List.copyOf(formats);
      }
    },
    MAX_ATTRIBUTES("traceunit.limits.max-attributes", "maxAttributes", 0, Limits::withMaxAttributes),
    MAX_KEY_LENGTH("traceunit.limits.max-key-length", "maxKeyLength", 1, Limits.MAX_KEY_LENGTH,
        Limits::withMaxKeyLength),
    MAX_VALUE_LENGTH("traceunit.limits.max-value-length", "maxValueLength", 1, Limits.MAX_VALUE_LENGTH,
        Limits::withMaxValueLength),
    MAX_EVENTS("traceunit.limits.max-events", "maxEvents", 0, Limits::withMaxEvents),
    MAX_LINKS("traceunit.limits.max-links", "maxLinks", 0, Limits::withMaxLinks),
    MAX_SPANS("traceunit.limits.max-spans", "maxSpans", 0, Limits::withMaxSpans),
    MAX_PROBLEMS("traceunit.limits.max-problems", "maxProblems", 1, Limits::withMaxProblems),
    MAX_NAME_LENGTH("traceunit.limits.max-name-length", "maxNameLength", 1, Limits.MAX_VALUE_LENGTH,
        Limits::withMaxNameLength),
    MAX_VALUE_ELEMENTS("traceunit.limits.max-value-elements", "maxValueElements", 0, Limits::withMaxValueElements),
    MAX_VALUE_NODES("traceunit.limits.max-value-nodes", "maxValueNodes", 1, Limits::withMaxValueNodes),
    CAPTURE_OUTPUT("traceunit.capture.output", "captureOutput", "true or false") {
      @Override
      void apply(String value, TraceSettings to) {
        to.captureOutput = parseBoolean(value);
      }
    },
    REDACT("traceunit.redact", "redact",
        "none (no masking) or a comma-separated list of at least one regular expression matched against"
            + " attribute keys") {
      @Override
      void apply(String value, TraceSettings to) {
        to.redaction = Redaction.parse(value);
      }
    },
    SNAPSHOTS_DIR("traceunit.snapshots.dir", "snapshotsDir", "a folder path") {
      @Override
      void apply(String value, TraceSettings to) {
        if (value.isEmpty()) {
          throw new IllegalArgumentException();
        }
        to.snapshotsDir = Path.of(value);
      }
    },
    SNAPSHOTS_UPDATE("traceunit.snapshots.update", "snapshotsUpdate", "true or false") {
      @Override
      void apply(String value, TraceSettings to) {
        to.snapshotsUpdate = parseBoolean(value);
      }
    },
    SNAPSHOTS_MISSING("traceunit.snapshots.missing", "snapshotsMissing", "fail or pass") {
      @Override
      void apply(String value, TraceSettings to) {
        if (!value.equals("fail") && !value.equals("pass")) {
          throw new IllegalArgumentException();
        }
        to.snapshotsMissingPass = value.equals("pass");
      }
    };

    final String key;
    final String attribute;
    final String allowed;
    /** For a limit: the copy of the limits with this one changed; null for other settings. */
    private final BiFunction<Limits, Integer, Limits> limit;

    Setting(String key, String attribute, String allowed) {
      this.key = key;
      this.attribute = attribute;
      this.allowed = allowed;
      this.limit = null;
    }

    Setting(String key, String attribute, int min, BiFunction<Limits, Integer, Limits> limit) {
      this(key, attribute, min, Integer.MAX_VALUE, limit);
    }

    Setting(String key, String attribute, int min, int max, BiFunction<Limits, Integer, Limits> limit) {
      this.key = key;
      this.attribute = attribute;
      this.allowed = "a whole number in ASCII digits " + (max == Integer.MAX_VALUE ? "of at least " + min
          : "from " + min + " to " + max);
      this.limit = limit;
    }

    /**
     * Sets the value on {@code to}; throws any RuntimeException for a value that is not allowed.
     * Limits are set here; every other setting overrides this.
     */
    void apply(String value, TraceSettings to) {
      to.limits = limit.apply(to.limits, parseAsciiInt(value));
    }

    /** Digits 0-9 only: Integer.parseInt would also take other scripts' digits, such as ٣ or １２８. */
    private static int parseAsciiInt(String value) {
      if (value.isEmpty() || value.length() > 10 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new IllegalArgumentException("not a whole number in ASCII digits");
      }
      long parsed = Long.parseLong(value);
      if (parsed > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("too large");
      }
      return (int) parsed;
    }

    /** Only {@code true} or {@code false}: a typo must not silently mean false. */
    private static boolean parseBoolean(String value) {
      if (!value.equals("true") && !value.equals("false")) {
        throw new IllegalArgumentException();
      }
      return Boolean.parseBoolean(value);
    }
  }

  /** Applies {@code value} for {@code setting}, naming {@code where} it came from if it is not allowed. */
  TraceSettings set(Setting setting, String value, String where) {
    try {
      setting.apply(value, this);
    } catch (RuntimeException e) {
      throw new ExtensionConfigurationException(
          where + " is '" + value + "' but must be " + setting.allowed, e);
    }
    return this;
  }

  /**
   * The settings for the test of {@code context}, given the extension's builder values. What the
   * configuration, the builder and the enclosing classes give is resolved once per run and class
   * and kept in their stores; only the test's own elements are read for each test.
   */
  static TraceSettings resolve(ExtensionContext context, Map<Setting, String> builderValues) {
    Optional<ExtensionContext> parent = context.getParent();
    TraceSettings settings = parent.isPresent() ? cached(parent.get(), builderValues).copy()
        : fromConfiguration(context, builderValues);
    return settings.withTraced(context);
  }

  /** The settings of {@code context} (the engine or a class), resolved on first use and kept in its store. */
  private static TraceSettings cached(ExtensionContext context, Map<Setting, String> builderValues) {
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

  private static TraceSettings fromConfiguration(ExtensionContext context, Map<Setting, String> builderValues) {
    ConfigKeys.checkGiven(TraceExtension.PLUGINS, key -> context.getConfigurationParameter(key).isPresent());
    Optional<String> report = context.getConfigurationParameter(TraceReportListener.ENABLED_KEY).map(String::trim);
    if (report.isPresent() && !report.get().equals("true") && !report.get().equals("false")) {
      throw new ExtensionConfigurationException(TraceReportListener.ENABLED_KEY + " is '" + report.get()
          + "' but must be " + ConfigKeys.OTHER_KEYS.get(TraceReportListener.ENABLED_KEY));
    }
    TraceSettings settings = new TraceSettings();
    for (Setting setting : Setting.values()) {
      Optional<String> value = context.getConfigurationParameter(setting.key);
      if (value.isPresent()) {
        settings.set(setting, value.get().trim(), setting.key);
      }
    }
    for (Map.Entry<Setting, String> entry : builderValues.entrySet()) {
      settings.set(entry.getKey(), entry.getValue(), "TraceExtension.builder()." + entry.getKey().attribute + "(…)");
    }
    settings.parallel = context.getConfigurationParameter(PARALLEL_KEY).map(Boolean::parseBoolean).orElse(false);
    return settings;
  }

  /** Applies {@link Traced} on the element of {@code context} (a class or the test method), if any. */
  private TraceSettings withTraced(ExtensionContext context) {
    Optional<AnnotatedElement> element = context.getElement();
    Optional<Traced> traced = element.flatMap(at -> AnnotationSupport.findAnnotation(at, Traced.class));
    if (traced.isPresent()) {
      String on = describe(element.get());
      for (Map.Entry<Setting, String> entry : attributes(traced.get()).entrySet()) {
        set(entry.getKey(), entry.getValue(), "@Traced(" + entry.getKey().attribute + ") on " + on);
      }
    }
    return this;
  }

  private TraceSettings copy() {
    TraceSettings copy = new TraceSettings();
    copy.clockStart = clockStart;
    copy.strict = strict;
    copy.dump = dump;
    copy.formats = formats;
    copy.limits = limits;
    copy.captureOutput = captureOutput;
    copy.redaction = redaction;
    copy.snapshotsDir = snapshotsDir;
    copy.snapshotsUpdate = snapshotsUpdate;
    copy.snapshotsMissingPass = snapshotsMissingPass;
    copy.parallel = parallel;
    return copy;
  }

  /** The store key of the settings resolved for one context and one set of builder values. */
  private record ResolvedIn(String contextId, Map<Setting, String> builderValues) {}

  /**
   * The attributes an annotation sets; empty strings, empty arrays and {@link Traced#UNSET} mean
   * "not set". Any other negative number is passed on, and rejected like any bad value.
   */
  static Map<Setting, String> attributes(Traced traced) {
    Map<Setting, String> set = new EnumMap<>(Setting.class);
    putText(set, Setting.CLOCK_START, traced.clockStart());
    putText(set, Setting.STRICT, traced.strict());
    putText(set, Setting.DUMP, traced.dump());
    if (traced.dumpFormats().length > 0) {
      set.put(Setting.DUMP_FORMATS, String.join(",", traced.dumpFormats()));
    }
    putLimit(set, Setting.MAX_ATTRIBUTES, traced.maxAttributes());
    putLimit(set, Setting.MAX_KEY_LENGTH, traced.maxKeyLength());
    putLimit(set, Setting.MAX_VALUE_LENGTH, traced.maxValueLength());
    putLimit(set, Setting.MAX_EVENTS, traced.maxEvents());
    putLimit(set, Setting.MAX_LINKS, traced.maxLinks());
    putLimit(set, Setting.MAX_SPANS, traced.maxSpans());
    putLimit(set, Setting.MAX_PROBLEMS, traced.maxProblems());
    putLimit(set, Setting.MAX_NAME_LENGTH, traced.maxNameLength());
    putLimit(set, Setting.MAX_VALUE_ELEMENTS, traced.maxValueElements());
    putLimit(set, Setting.MAX_VALUE_NODES, traced.maxValueNodes());
    putText(set, Setting.CAPTURE_OUTPUT, traced.captureOutput());
    if (traced.redact().length > 0) {
      set.put(Setting.REDACT, String.join(",", traced.redact()));
    }
    return set;
  }

  private static void putText(Map<Setting, String> set, Setting setting, String value) {
    if (!value.isEmpty()) {
      set.put(setting, value);
    }
  }

  private static void putLimit(Map<Setting, String> set, Setting setting, int value) {
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
}
