package dev.traceunit.junit;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.Limits;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanStatus;
import dev.traceunit.core.Spans;
import dev.traceunit.core.Trace;
import dev.traceunit.junit.DumpFormat.TestOutcome;
import dev.traceunit.junit.TestTrace.Level;
import dev.traceunit.junit.TraceSettings.Given;
import dev.traceunit.junit.TraceSettings.Setting;
import dev.traceunit.junit.spi.TraceExtensionPlugin;
import java.lang.reflect.Constructor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;
import org.opentest4j.TestAbortedException;

/**
 * Gives every test its own {@link MockClock} and {@link SpanCollector}, and shows the trace
 * wherever a failing test's failure is shown.
 *
 * <pre>{@code
 * @ExtendWith(TraceExtension.class)          // or @Traced(...), or @RegisterExtension with builder()
 * class CheckoutTest {
 *   @Test
 *   void retriesThePaymentCallOnce(Spans spans, MockClock clock) {
 *     checkout.pay(order);
 *     clock.advanceTime(Duration.ofSeconds(2));
 *     assertThat(spans).hasRootSpan("checkout").hasChildrenNamed("payment.call", "payment.call");
 *   }
 * }
 * }</pre>
 *
 * <p>Before each test (so also during its {@code @BeforeEach} and {@code @AfterEach} methods) the
 * collector is active on the test's thread and the threads it starts for one piece of work (never
 * on pool threads: hand tasks to pools through {@code Tracing.wrap}), and, unless JUnit runs tests
 * in parallel, as the fallback for threads that carry no test's context. Each dynamic test of a
 * {@code @TestFactory} gets its own. Each test class (and {@code @Nested} class) has a class-level
 * trace, on its own clock, for its {@code @BeforeAll} and {@code @AfterAll} methods and its
 * constructor under {@code PER_CLASS}; it is dumped when one of them fails. Test and lifecycle
 * methods may declare parameters of type {@link Spans}, {@link MockClock} and {@link SpanCollector}.
 *
 * <p>After each test: spans still open become {@code SPAN_NOT_ENDED} problems and later spans are
 * only counted; in strict mode (the default) a passing test whose trace has problems fails with a
 * {@link TraceProblemsError}. When a test fails (or always, with {@code traceunit.dump=always}) the
 * trace is dumped: a {@link TraceDump} is added as suppressed to the test's exception (its message
 * holds at most {@value #MESSAGE_TREE_LINES} lines of the tree), the whole tree is
 * published as the report entry {@value #REPORT_ENTRY_KEY}, and files ({@code trace.txt}, {@code
 * trace.json}) are published with {@link ExtensionContext#publishFile} (written beside JUnit's
 * output on JUnit 5.10 and 5.11, which lack it). A failure's dump is added when JUnit closes the
 * test's context, so a failure raised by an extension running after this one gets it too; an
 * exception that refuses suppressed exceptions has the dump printed to standard error. Failures of
 * the extension itself are added as suppressed to the test's exception, never put in its place.
 * Every dump, report and assertion failure message shows the trace with the values of
 * secret-looking keys masked ({@code traceunit.redact}, the rule of each test's collector); the
 * test's own {@link Spans} keep the real values.
 *
 * <p>With {@code traceunit.capture.output=true}, lines the test prints to {@code System.out} and
 * {@code System.err} are still printed and also recorded as {@code log} events on the span current
 * on the printing thread, or as a {@code log} marker span when there is none.
 *
 * <p>Dumps show the trace in a form that is the same on every run, JDK and execution mode (ids,
 * thread names and stack traces normalised; see docs/same-dumps.md). The
 * extension also tells {@code matchesSnapshot()} which test runs, so it finds the test's snapshot
 * file ({@code traceunit.snapshots.*}), and lists snapshot files no test used at the end of the run.
 *
 * <p>Settings come from configuration parameters ({@code junit-platform.properties} or {@code -D}),
 * then this extension's {@link #builder()}, then {@link Traced}; a bad value fails the test with a
 * message naming the key, the value and what is allowed.
 */
public final class TraceExtension implements TestInstancePreConstructCallback, BeforeAllCallback,
    AfterAllCallback, BeforeEachCallback, AfterEachCallback, InvocationInterceptor, ParameterResolver {

  /** The key of the report entry that carries the text tree of a dumped trace. */
  public static final String REPORT_ENTRY_KEY = "traceunit.trace";

  /** At most this many lines of the tree are in a {@link TraceDump} or {@link TraceProblemsError} message. */
  static final int MESSAGE_TREE_LINES = 1000;
  /** At most about this many chars of the tree are in such a message. */
  static final int MESSAGE_CHARS = 200_000;

  private static final Namespace NAMESPACE = Namespace.create(TraceExtension.class);
  /** Modules on the class path that join every traced test, such as traceunit-otel. */
  static final List<TraceExtensionPlugin> PLUGINS =
      ServiceLoader.load(TraceExtensionPlugin.class, TraceExtension.class.getClassLoader()).stream()
          .map(ServiceLoader.Provider::get).toList();

  /** When the trace of a test is dumped. */
  public enum Dump {
    /** When the test fails, including a failure for trace problems in strict mode; the default. */
    ON_FAILURE,
    /** After every test; a passing test gets report entry and files, but no {@link TraceDump}. */
    ALWAYS,
    /** Never; a strict-mode {@link TraceProblemsError} still shows the tree. */
    NEVER;

    /** {@return the name used in configuration: {@code on-failure}, {@code always}, {@code never}} */
    public String configName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Dump named(String configName) {
      for (Dump dump : values()) {
        if (dump.configName().equals(configName)) {
          return dump;
        }
      }
      throw new IllegalArgumentException("unknown dump mode '" + configName + "'");
    }
  }

  /** What the builder set, typed. */
  private final Collection<Given<?>> settings;

  /** The extension with settings from configuration parameters and {@link Traced} only. */
  public TraceExtension() {
    this(List.of());
  }

  private TraceExtension(Collection<Given<?>> settings) {
    this.settings = settings;
  }

  /**
   * A builder for an extension registered with {@code @RegisterExtension}; what it sets wins over
   * configuration parameters, and {@link Traced} wins over it.
   *
   * <pre>{@code
   * @RegisterExtension
   * static TraceExtension traces = TraceExtension.builder()
   *     .clockStart(Instant.parse("2024-03-01T09:00:00Z"))
   *     .dump(TraceExtension.Dump.ALWAYS)
   *     .build();
   * }</pre>
   *
   * @return a new builder
   */
  public static Builder builder() {
    SupportedJUnit.require();
    return new Builder();
  }

  // Where each trace lives (a TestTrace in the store of its own context, keyed by its Level):
  //   class   — started before a PER_CLASS constructor or by beforeAll, ended by afterAll;
  //   test    — started by beforeEach, ended by afterEach (test methods, template invocations);
  //   dynamic — started and ended around interceptDynamicTest (JUnit runs no beforeEach for it).
  // Each trace is dealt with in two steps:
  //   settle (when its own code is done: afterEach, afterAll, the end of a dynamic test) undoes the
  //     activations and finishes the trace; if nothing has failed yet it fails a passing test for trace
  //     problems (strict mode) and publishes an `always` dump. Throwing is clean here.
  //   finish (TestTrace.close, when JUnit closes the context's store) dumps a failed trace: this runs
  //     after every extension's afterEach/afterAll and before JUnit reports the outcome, so
  //     getExecutionException() holds the final failure, including one raised after our afterEach
  //     (Mockito's strict stubs, registered first), and a dump added to it reaches every listener
  //     (console, Surefire's XML, IDEs). It never throws: JUnit would wrap what a store resource throws.
  // A TestExecutionListener would come too late (other listeners, Surefire's among them, may already
  // have written the failure; it has no ExtensionContext to publish with), and a TestWatcher cannot fail
  // a test for trace problems.

  @Override
  public void preConstructTestInstance(TestInstanceFactoryContext factory, ExtensionContext context) {
    // PER_CLASS: the instance is made before beforeAll, in the class's context; its constructor's
    // spans belong to the class trace. A PER_METHOD constructor runs while the class trace is active.
    if (context.getTestMethod().isEmpty()
        && context.getTestInstanceLifecycle().orElse(Lifecycle.PER_METHOD) == Lifecycle.PER_CLASS) {
      start(context, Level.CLASS);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start(context, Level.CLASS);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    settle(context, Level.CLASS);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    start(context, Level.TEST);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    settle(context, Level.TEST);
  }

  /** A dynamic test gets its own trace; the factory method's spans stay in the factory's. */
  @Override
  public void interceptDynamicTest(Invocation<Void> invocation, DynamicTestInvocationContext invocationContext,
      ExtensionContext context) throws Throwable {
    TestTrace test = start(context, Level.TEST);
    if (test == null) {
      invocation.proceed();
      return;
    }
    try {
      invocation.proceed();
    } catch (Throwable failed) {
      // Nothing runs after a dynamic test's executable: its outcome is final, dump it now.
      try {
        ObsoleteSnapshots.testFinished(context, test);
      } finally {
        test.stop();
        finish(test, Optional.of(failed));
      }
      throw failed;
    }
    try {
      ObsoleteSnapshots.testFinished(context, test);
    } finally {
      test.stop();
    }
    settle(test, true);
  }

  /**
   * Starts the trace of {@code context} at {@code level} and keeps it in its store; null if this
   * context already has one (started earlier by this extension, or by a second registration), or
   * if a class's settings are bad (each test then fails on its own, naming the bad value).
   */
  private TestTrace start(ExtensionContext context, Level level) {
    SupportedJUnit.require();
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    TestTrace existing = store.get(level, TestTrace.class);
    // A store also answers with its ancestors' values: only a trace of this very context counts.
    if (existing != null && existing.testId.equals(context.getUniqueId())) {
      // Registered twice (e.g. @Traced and @RegisterExtension): the first one serves. Its settings
      // win, so a second registration's builder settings would be lost without a word.
      if (level == Level.TEST && existing.owner != this && !settings.isEmpty()) {
        throw new ExtensionConfigurationException("TraceExtension is registered twice for "
            + context.getDisplayName() + ", and the settings given to TraceExtension.builder() ("
            + settings.stream().map(given -> given.setting().attribute).collect(Collectors.joining(", "))
            + ") would be ignored: register it once (with @RegisterExtension only, without @ExtendWith or"
            + " @Traced on the class), or give the settings through @Traced attributes");
      }
      return null;
    }
    TraceSettings resolved;
    try {
      resolved = TraceSettings.resolve(context, settings);
    } catch (ExtensionConfigurationException badSetting) {
      if (level == Level.CLASS) {
        return null; // failing the class would hide which tests the bad value concerns
      }
      throw badSetting;
    }
    // Only a test's collector is the fallback: a class's would catch what its tests' threads record.
    TestTrace test = TestTrace.start(this, resolved, context, level, level == Level.TEST && !resolved.parallel());
    store.put(level, test);
    try {
      PLUGINS.forEach(plugin -> plugin.testStarted(test.collector, context));
    } catch (ExtensionConfigurationException badSetting) {
      if (level == Level.TEST) {
        throw badSetting;
      }
      test.stop(); // as for the extension's own settings: each test fails on its own, naming the value
      store.remove(level);
      return null;
    }
    return test;
  }

  private void settle(ExtensionContext context, Level level) {
    TestTrace test = context.getStore(NAMESPACE).get(level, TestTrace.class);
    if (test != null && test.owner == this && test.testId.equals(context.getUniqueId())) {
      try {
        if (level == Level.TEST) {
          ObsoleteSnapshots.testFinished(context, test);
        }
      } finally {
        test.stop();
        settle(test, context.getExecutionException().isEmpty());
      }
    }
  }

  /**
   * Finishes the trace of {@code test}, whose own code is done. If it has not failed ({@code
   * passedSoFar}): in strict mode, trace problems fail it with a {@link TraceProblemsError}; a dump
   * it asks for ({@code always}, or problems) is published now. A failed test is dumped by {@link
   * #finish} once its outcome is final.
   */
  private static void settle(TestTrace test, boolean passedSoFar) {
    Trace trace = test.finishedTrace();
    if (!passedSoFar || test.level == Level.CLASS && trace.isEmpty() && trace.problems().isEmpty()) {
      return;
    }
    boolean problemsFailTest = test.settings.strict() && !trace.problems().isEmpty();
    boolean dump = problemsFailTest ? test.settings.dump() != Dump.NEVER : test.settings.dump() == Dump.ALWAYS;
    if (!dump && !problemsFailTest) {
      return;
    }
    String tree = render(trace);
    String shown = messageTree(trace, tree, dump ? test.settings.formats() : List.of());
    List<RuntimeException> ownFailures = new ArrayList<>();
    if (dump) {
      publish(test.context, new TestOutcome(trace, tree, test.testId), test.settings.formats(), ownFailures);
      test.published = true;
    }
    if (problemsFailTest) {
      TraceProblemsError error = new TraceProblemsError(trace, shown);
      ownFailures.forEach(error::addSuppressed);
      test.ownFailure = error;
      throw error;
    }
    if (!ownFailures.isEmpty()) {
      // A passing test whose dump could not be published: say so rather than lose it silently.
      RuntimeException first = ownFailures.get(0);
      ownFailures.subList(1, ownFailures.size()).forEach(first::addSuppressed);
      test.ownFailure = first;
      throw first;
    }
  }

  /**
   * Hands the finished trace of {@code test} to the report and dumps it if the test failed with
   * {@code failure}; once its outcome is final: from {@link TestTrace#close()} when JUnit closes the
   * test's store, or at the end of a failed dynamic test. Never throws: what goes wrong is added to
   * the test's failure. Does nothing the second time.
   */
  static void finish(TestTrace test, Optional<Throwable> failure) {
    if (test.dumped) {
      return;
    }
    test.dumped = true;
    Trace trace = test.finishedTrace();
    if (test.level == Level.CLASS && failure.isEmpty() && trace.isEmpty() && trace.problems().isEmpty()) {
      return; // a class whose constructor and @BeforeAll/@AfterAll recorded nothing: no row, no noise
    }
    if (SupportedJUnit.LAUNCHER) {
      TraceReportListener.offer(test.testId, trace); // the run's HTML report shows every test, not only dumps
    } else {
      SupportedJUnit.noteLauncherMissing(); // no report listener can run here; dumps still work
    }
    if (failure.isEmpty() || failure.get() instanceof TestAbortedException || test.settings.dump() == Dump.NEVER) {
      return; // passed (its `always` dump is published), skipped, or never dumped
    }
    Throwable thrown = failure.get();
    String tree = render(trace);
    if (thrown != test.ownFailure) { // a TraceProblemsError's message already is the tree
      attach(thrown, new TraceDump(trace, messageTree(trace, tree, test.settings.formats())), trace);
    }
    if (!test.published) {
      List<RuntimeException> ownFailures = new ArrayList<>();
      publish(test.context, new TestOutcome(trace, tree, test.testId), test.settings.formats(), ownFailures);
      ownFailures.forEach(own -> attach(thrown, own, trace));
    }
  }

  /**
   * The whole tree, or, when it does not fit in this JVM's memory, a note saying so: traceunit's
   * own text must not fail the run.
   */
  private static String render(Trace trace) {
    try {
      return trace.render();
    } catch (OutOfMemoryError e) {
      return "trace " + trace.traceId() + " · " + trace.size() + " spans · " + trace.problems().size()
          + " problems\n(the tree did not fit in memory and is left out; trace.json holds the trace)\n";
    }
  }

  /**
   * Adds {@code extra} (a dump, or the extension's own failure) as suppressed to the test's {@code
   * failure}. An exception that refuses suppressed exceptions (a {@link StackOverflowError} thrown by
   * the JVM, one built with {@code enableSuppression=false}) would drop it: then it is printed to
   * the standard error stream, naming the test, where consoles and Surefire's XML record it.
   */
  private static void attach(Throwable failure, Throwable extra, Trace trace) {
    failure.addSuppressed(extra);
    for (Throwable kept : failure.getSuppressed()) {
      if (kept == extra) {
        return;
      }
    }
    System.err.println("traceunit: " + failure.getClass().getName() + " takes no suppressed exceptions, so the "
        + (extra instanceof TraceDump ? "trace" : "failure to publish the trace") + " of " + trace.traceId()
        + " is printed here:" + System.lineSeparator() + (extra instanceof TraceDump ? extra.getMessage() : extra));
  }

  /**
   * The tree a {@link TraceDump} or {@link TraceProblemsError} message shows: the whole {@code tree},
   * or, past {@value #MESSAGE_TREE_LINES} lines, that many around the first span with an error or a
   * problem (marked), saying where the whole tree is. Consoles and IDEs choke on a message of
   * thousands of lines; the report entry and the files keep the whole tree.
   */
  static String messageTree(Trace trace, String tree, List<DumpFormat> published) {
    if (tree.length() <= MESSAGE_CHARS && tree.lines().count() <= MESSAGE_TREE_LINES) {
      return tree;
    }
    Set<Long> withProblems = new HashSet<>();
    trace.problems().forEach(problem -> withProblems.add(problem.spanId()));
    String cut;
    try {
      cut = trace.render(span -> span.status() == SpanStatus.ERROR || withProblems.contains(span.spanId()),
          MESSAGE_TREE_LINES);
    } catch (OutOfMemoryError e) {
      cut = tree;
    }
    if (cut.length() > MESSAGE_CHARS) {
      int end = Math.max(0, cut.lastIndexOf('\n', MESSAGE_CHARS) + 1);
      cut = cut.substring(0, end) + "… " + (cut.length() - end) + " more chars cut\n";
    }
    return cut + "(at most " + MESSAGE_TREE_LINES + " lines and " + MESSAGE_CHARS + " chars of the tree are shown"
        + " here, around the first span with an error or a problem; " + (published.isEmpty()
            ? "traceunit.dump and traceunit.dump.formats publish the whole tree as trace.txt and trace.json)"
            : "the whole tree is in " + published.stream().map(DumpFormat::fileName).collect(Collectors.joining(" and "))
                + ", published with this test)");
  }

  /** Publishes the report entry and the files; what fails is collected, never thrown. */
  private static void publish(ExtensionContext context, TestOutcome outcome, List<DumpFormat> formats,
      List<RuntimeException> failures) {
    try {
      context.publishReportEntry(REPORT_ENTRY_KEY, outcome.tree());
    } catch (RuntimeException e) {
      failures.add(new TraceDumpFailure("traceunit could not publish the report entry " + REPORT_ENTRY_KEY, e));
    }
    for (DumpFormat format : formats) {
      try {
        DumpFiles.OF_THIS_JUNIT.publish(context, format, outcome);
      } catch (Exception e) {
        failures.add(new TraceDumpFailure("traceunit could not publish " + format.fileName()
            + " (traceunit.dump.formats includes " + format.configName() + ")", e));
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type != Spans.class && type != MockClock.class && type != SpanCollector.class
        && PLUGINS.stream().noneMatch(plugin -> plugin.supportsParameter(type))) {
      return false;
    }
    TestTrace test = traceOf(parameter, context);
    return test == null || test.owner == this;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    TestTrace test = traceOf(parameter, context);
    Class<?> type = parameter.getParameter().getType();
    if (test == null) {
      TraceSettings.resolve(context, settings); // a bad setting is why there is no trace: say that instead
      throw new ParameterResolutionException("TraceExtension resolves " + type.getSimpleName() + " only for test"
          + " methods and their @BeforeEach and @AfterEach methods, where each test has its own, and for the"
          + " @BeforeAll and @AfterAll methods and PER_CLASS constructors of a test class, which share the class's; "
          + parameter.getDeclaringExecutable() + " is not one of them");
    }
    if (type == MockClock.class) {
      return test.clock;
    }
    if (type == Spans.class || type == SpanCollector.class) {
      return test.collector;
    }
    TraceExtensionPlugin plugin = PLUGINS.stream().filter(p -> p.supportsParameter(type)).findFirst().orElseThrow();
    return plugin.resolveParameter(type, test.collector, context);
  }

  /**
   * The trace a parameter of a method running in {@code context} belongs to: its test's, else its
   * class's; none for the constructor of a PER_METHOD class, which is made for one test but before it.
   */
  private static TestTrace traceOf(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    if (parameter.getDeclaringExecutable() instanceof Constructor) {
      TestTrace owner = store.get(Level.CLASS, TestTrace.class);
      return owner != null && owner.context.getTestInstanceLifecycle().orElse(Lifecycle.PER_METHOD)
          == Lifecycle.PER_CLASS ? owner : null;
    }
    TestTrace test = store.get(Level.TEST, TestTrace.class);
    return test != null ? test : store.get(Level.CLASS, TestTrace.class);
  }

  /**
   * Builds a {@link TraceExtension} for {@code @RegisterExtension}. Every setting is optional; a
   * setting not made here comes from configuration parameters.
   */
  public static final class Builder {
    /** Each setting once, the last value given winning. */
    private final Map<Setting<?>, Given<?>> values = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Where each test's mock clock starts; {@code traceunit.clock.start}.
     *
     * @param start the clock's start
     * @return this builder
     */
    public Builder clockStart(Instant start) {
      return set(TraceSettings.CLOCK_START, Objects.requireNonNull(start, "start"));
    }

    /**
     * Whether a passing test whose trace has problems fails; {@code traceunit.strict}.
     *
     * @param strict whether problems fail a passing test
     * @return this builder
     */
    public Builder strict(boolean strict) {
      return set(TraceSettings.STRICT, strict);
    }

    /**
     * When traces are dumped; {@code traceunit.dump}.
     *
     * @param dump when to dump
     * @return this builder
     */
    public Builder dump(Dump dump) {
      return set(TraceSettings.DUMP, Objects.requireNonNull(dump, "dump"));
    }

    /**
     * Which files a dump publishes, some of {@code "text", "json", "otlp"}; {@code traceunit.dump.formats}.
     *
     * @param formats the formats' names
     * @return this builder
     * @throws IllegalArgumentException if a name is unknown or none is given
     */
    public Builder dumpFormats(String... formats) {
      return parse(TraceSettings.DUMP_FORMATS, String.join(",", Objects.requireNonNull(formats, "formats")));
    }

    /**
     * What each test's collector keeps; {@code traceunit.limits.*}, all of them at once.
     *
     * @param limits the limits
     * @return this builder
     */
    public Builder limits(Limits limits) {
      Objects.requireNonNull(limits, "limits");
      set(TraceSettings.MAX_ATTRIBUTES, limits.maxAttributes());
      set(TraceSettings.MAX_KEY_LENGTH, limits.maxKeyLength());
      set(TraceSettings.MAX_VALUE_LENGTH, limits.maxValueLength());
      set(TraceSettings.MAX_EVENTS, limits.maxEvents());
      set(TraceSettings.MAX_LINKS, limits.maxLinks());
      set(TraceSettings.MAX_SPANS, limits.maxSpans());
      set(TraceSettings.MAX_PROBLEMS, limits.maxProblems());
      set(TraceSettings.MAX_NAME_LENGTH, limits.maxNameLength());
      set(TraceSettings.MAX_VALUE_ELEMENTS, limits.maxValueElements());
      return set(TraceSettings.MAX_VALUE_NODES, limits.maxValueNodes());
    }

    /**
     * Whether lines printed to System.out and System.err are recorded; {@code traceunit.capture.output}.
     *
     * @param capture whether to record printed lines
     * @return this builder
     */
    public Builder captureOutput(boolean capture) {
      return set(TraceSettings.CAPTURE_OUTPUT, capture);
    }

    /**
     * Regular expressions for attribute keys whose values every text (dumps, reports, assertion
     * messages) masks, or {@code "none"}; {@code traceunit.redact}. A message about a bad pattern
     * does not show the patterns: one may be a secret typed in by mistake.
     *
     * @param patterns the patterns, or {@code "none"}
     * @return this builder
     * @throws IllegalArgumentException if a pattern is empty or not a valid regular expression
     */
    public Builder redact(String... patterns) {
      return parse(TraceSettings.REDACT, String.join(",", Objects.requireNonNull(patterns, "patterns")));
    }

    /** {@return the extension; the builder may be used again} */
    public TraceExtension build() {
      return new TraceExtension(List.copyOf(values.values()));
    }

    private <T> Builder set(Setting<T> setting, T value) {
      values.put(setting, new Given<>(setting, value));
      return this;
    }

    /** Parses as configuration is parsed, failing with the same message at once. */
    private <T> Builder parse(Setting<T> setting, String value) {
      T parsed;
      try {
        parsed = setting.key.parse(value, "TraceExtension.builder()." + setting.attribute + "(…)");
      } catch (ExtensionConfigurationException e) {
        throw new IllegalArgumentException(e.getMessage(), e.getCause());
      }
      return set(setting, parsed);
    }
  }

  /**
   * The extension could not publish part of a dump. Added as suppressed to the test's exception;
   * thrown only when the test passed (with {@code traceunit.dump=always}).
   */
  private static final class TraceDumpFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TraceDumpFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
