package dev.traceunit.junit;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import dev.traceunit.junit.spi.ConfigKey;
import dev.traceunit.junit.spi.TraceExtensionPlugin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The one table of {@code traceunit.*} configuration keys, so that a typo fails fast with the
 * closest known key instead of being ignored, and every value is checked by its key's one parser.
 * The keys are the {@link TraceSettings.Setting} rows (a test's settings), the {@link #REPORT_KEYS}
 * the report reads, and what each {@link TraceExtensionPlugin#configurationKeys()} on the class path
 * adds; README.md's configuration table lists them all (a test compares the two).
 *
 * <p>A key of the extension is one more {@code Setting} row, or one more entry in {@link
 * #REPORT_KEYS} if something other than a test's settings reads it; a module with a plugin returns
 * its keys from {@link TraceExtensionPlugin#configurationKeys()}.
 */
final class ConfigKeys {

  /** {@code false} turns the report off. */
  static final ConfigKey<Boolean> REPORT = ConfigKey.flag("traceunit.report", true,
      "the HTML report of every traced test is written");
  /** The report's folder; empty: the default, which depends on {@code junit.platform.reporting.output.dir}. */
  static final ConfigKey<Optional<Path>> REPORT_DIR = ConfigKey.of("traceunit.report.dir", "folder", Optional.empty(),
      "traceunit-report under junit.platform.reporting.output.dir if set, else target/traceunit-report", "a folder",
      "where the report is written", value -> value.isEmpty() ? Optional.empty() : Optional.of(Path.of(value)));
  /** Names the build a run belongs to: runs with another name in the same folder are replaced. */
  static final ConfigKey<Optional<String>> REPORT_BUILD = ConfigKey.of("traceunit.report.build", "text",
      Optional.empty(), "the build tool's process for a forked test JVM, else the JVM", "a name for the build",
      "the build a run belongs to: a run of another build in the report's folder replaces its runs",
      value -> value.isEmpty() ? Optional.empty() : Optional.of(value));
  /** {@code true} also writes the build's runs as one OTLP file. */
  static final ConfigKey<Boolean> REPORT_OTLP = ConfigKey.flag("traceunit.report.otlp", false,
      "the report also writes every run of the build as one OTLP/JSON file, traceunit-run.otlp.json");

  /** Keys read outside the per-test settings: the report's. */
  static final List<ConfigKey<?>> REPORT_KEYS = List.of(REPORT, REPORT_DIR, REPORT_BUILD, REPORT_OTLP);

  /** Keys traceunit writes itself (report entries), which are not configuration but share the prefix. */
  private static final Set<String> NOT_CONFIGURATION = Set.of(TraceExtension.REPORT_ENTRY_KEY);

  private static final String PREFIX = "traceunit.";
  private static final int MAX_LAUNCHER_KEYS = 1024;

  /**
   * {@code traceunit.*} keys a launcher of this JVM was given (Surefire's {@code
   * configurationParameters}, a launcher request), which the extension cannot list itself: the
   * report's listener notes them when a run starts. Each run checks only the ones its own
   * configuration holds.
   */
  private static final Set<String> LAUNCHER_KEYS = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private ConfigKeys() {}

  /** Notes the keys of a launcher's configuration, for {@link #checkGiven}. */
  static void noteLauncherKeys(Collection<String> keys) {
    for (String key : keys) {
      if (key.startsWith(PREFIX) && LAUNCHER_KEYS.size() < MAX_LAUNCHER_KEYS) {
        LAUNCHER_KEYS.add(key);
      }
    }
  }

  /** {@return every key: the settings', the report's and the plugins', by name} */
  static List<ConfigKey<?>> all(Collection<TraceExtensionPlugin> plugins) {
    List<ConfigKey<?>> keys = new ArrayList<>();
    for (TraceSettings.Setting<?> setting : TraceSettings.ALL) {
      keys.add(setting.key);
    }
    keys.addAll(REPORT_KEYS);
    for (TraceExtensionPlugin plugin : plugins) {
      keys.addAll(plugin.configurationKeys());
    }
    keys.sort(Comparator.comparing(ConfigKey::name));
    return keys;
  }

  /** {@return the name of every known key} */
  static Set<String> known(Collection<TraceExtensionPlugin> plugins) {
    Set<String> names = new TreeSet<>();
    for (ConfigKey<?> key : all(plugins)) {
      names.add(key.name());
    }
    return names;
  }

  /**
   * Parses the value of every key that is not a test's setting (the report's, the plugins'), so
   * that a bad one fails every test as a bad setting does, even though the report's listener and
   * the plugins read them at other times.
   */
  static void checkValues(Collection<TraceExtensionPlugin> plugins, Function<String, Optional<String>> configuration) {
    for (ConfigKey<?> key : REPORT_KEYS) {
      key.read(configuration);
    }
    for (TraceExtensionPlugin plugin : plugins) {
      for (ConfigKey<?> key : plugin.configurationKeys()) {
        key.read(configuration);
      }
    }
  }

  /**
   * Fails for the first {@code traceunit.*} key given as a system property, in a {@code
   * junit-platform.properties} on the class path or to a launcher of this JVM that is not known,
   * naming the closest known key.
   * {@code inEffect} answers whether JUnit sees the key (and with which value).
   */
  static void checkGiven(Collection<TraceExtensionPlugin> plugins, Function<String, Boolean> inEffect) {
    Map<String, String> given = new LinkedHashMap<>();
    for (String key : System.getProperties().stringPropertyNames()) {
      given.putIfAbsent(key, "a system property");
    }
    for (Map.Entry<String, String> entry : fromPropertiesFiles().entrySet()) {
      given.putIfAbsent(entry.getKey(), entry.getValue());
    }
    for (String key : LAUNCHER_KEYS) {
      given.putIfAbsent(key, "a configuration parameter");
    }
    Set<String> known = known(plugins);
    for (Map.Entry<String, String> entry : given.entrySet()) {
      String key = entry.getKey();
      if (key.startsWith(PREFIX) && !known.contains(key) && !NOT_CONFIGURATION.contains(key)
          && inEffect.apply(key)) {
        throw new ExtensionConfigurationException(unknown(key, entry.getValue(), known));
      }
    }
  }

  /**
   * The artifact of each module whose plugin reads the keys under a prefix: a key of a module that is
   * not on the class path is unknown, and the message says which dependency reads it.
   */
  private static final Map<String, String> MODULE_PREFIXES = Map.of(
      "traceunit.otel.", "traceunit-otel",
      "traceunit.micrometer.", "traceunit-micrometer");

  /** {@return the artifact whose plugin reads keys like {@code key}, or null if it is no module's} */
  static String module(String key) {
    for (Map.Entry<String, String> prefix : MODULE_PREFIXES.entrySet()) {
      if (key.startsWith(prefix.getKey())) {
        return prefix.getValue();
      }
    }
    return null;
  }

  /** "unknown configuration parameter 'traceunit.strcit' (…); did you mean 'traceunit.strict'? …" */
  static String unknown(String key, String where, Set<String> known) {
    String module = module(key);
    if (module != null) {
      // A documented key of a module the test class path lacks: "did you mean" would point elsewhere.
      return "unknown configuration parameter '" + key + "' (" + where + "): " + module + " reads the "
          + key.substring(0, key.indexOf('.', PREFIX.length()) + 1) + "* keys, and it is not on the test class path"
          + " (add it as a test dependency, or remove the key); traceunit knows " + String.join(", ", known);
    }
    String closest = closest(key, known);
    return "unknown configuration parameter '" + key + "' (" + where + ")"
        + (closest == null ? "" : "; did you mean '" + closest + "'?")
        + " traceunit knows " + String.join(", ", known);
  }

  /** The known key nearest to {@code key} in edits (camelCase read as kebab-case), or null if none is near. */
  static String closest(String key, Set<String> known) {
    String wanted = kebab(key);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int distance = distance(wanted, candidate);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = candidate;
      }
    }
    return best != null && bestDistance <= Math.max(2, best.length() / 3) ? best : null;
  }

  /** {@code traceunit.limits.maxSpans} → {@code traceunit.limits.max-spans}. */
  private static String kebab(String key) {
    StringBuilder out = new StringBuilder(key.length() + 4);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isUpperCase(c) && i > 0 && Character.isLetterOrDigit(key.charAt(i - 1))) {
        out.append('-');
      }
      out.append(Character.toLowerCase(c));
    }
    return out.toString().replace('_', '-').toLowerCase(Locale.ROOT);
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  /** Keys of every junit-platform.properties on the class path, with where each was found. */
  private static Map<String, String> fromPropertiesFiles() {
    Map<String, String> keys = new LinkedHashMap<>();
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = ConfigKeys.class.getClassLoader();
    }
    try {
      Enumeration<URL> files = loader.getResources("junit-platform.properties");
      List<URL> urls = new ArrayList<>();
      while (files.hasMoreElements()) {
        urls.add(files.nextElement());
      }
      for (URL url : urls) {
        Properties properties = new Properties();
        try (InputStream in = url.openStream()) {
          properties.load(in);
        }
        for (String key : properties.stringPropertyNames()) {
          keys.putIfAbsent(key, "in " + url);
        }
      }
    } catch (IOException | IllegalArgumentException unreadable) {
      // JUnit reports an unreadable file itself; only keys that can be read are checked.
    }
    return keys;
  }
}
