package dev.traceunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.junit.spi.ConfigKey;
import dev.traceunit.junit.spi.TraceExtensionPlugin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The configuration table of the documentation against the one table of keys in the code
 * ({@link ConfigKeys#all}), both ways: every key is documented with its default (and its
 * {@code @Traced} attribute), and no row documents a key that does not exist. It lives here, in
 * the package of {@code ConfigKeys}, because this module has every module that adds keys on its
 * class path.
 */
class ConfigurationTableTest {

  private static final String HEADING = "## Configuration";
  private static final Pattern ROW = Pattern.compile("^\\|\\s*`(traceunit\\.[^`]+)`\\s*\\|(.*)\\|\\s*$");
  private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)\\]\\([^)]*\\)");

  /** One documented row: the cells after the key, as text (no backticks, links as their text). */
  record Row(String attribute, String defaultText, String allowed) {}

  @Test
  void everyKeyIsDocumentedWithItsDefaultAndEveryDocumentedKeyExists() throws IOException {
    assertThat(disagreements(configurationSection(), ConfigKeys.all(TraceExtension.PLUGINS))).isEmpty();
  }

  @Test
  void aRowOfNoKeyAMissingKeyAndAWrongDefaultAreEachNamed() {
    String section = HEADING + "\n\n| key | `@Traced` attribute | default | allowed |\n|---|---|---|---|\n"
        + "| `traceunit.strict` | `strict` | `false` | `true`, `false` |\n"
        + "| `traceunit.stirct` | | `true` | `true`, `false` |\n";
    List<ConfigKey<?>> keys = List.of(TraceSettings.STRICT.key, TraceSettings.DUMP.key);

    assertThat(disagreements(section, keys)).containsExactly(
        "traceunit.stirct is documented but no part of traceunit reads it",
        "traceunit.dump is not documented (default on-failure)",
        "traceunit.strict is documented with the default 'false' but its default is 'true'");
  }

  /** What the documented rows and the keys disagree on, one sentence each. */
  static List<String> disagreements(String section, List<ConfigKey<?>> keys) {
    Map<String, Row> documented = documentedRows(section);
    Map<String, ConfigKey<?>> byName = new TreeMap<>();
    for (ConfigKey<?> key : keys) {
      byName.put(key.name(), key);
    }
    List<String> found = new ArrayList<>();
    for (String name : documented.keySet()) {
      if (!byName.containsKey(name)) {
        found.add(name + " is documented but no part of traceunit reads it");
      }
    }
    for (ConfigKey<?> key : byName.values()) {
      Row row = documented.get(key.name());
      if (row == null) {
        found.add(key.name() + " is not documented (default " + key.defaultText() + ")");
      } else if (!row.defaultText().equals(key.defaultText())) {
        found.add(key.name() + " is documented with the default '" + row.defaultText() + "' but its default is '"
            + key.defaultText() + "'");
      }
    }
    return found;
  }

  @Test
  void theTracedAttributeColumnNamesEachSettingsAttribute() throws IOException {
    Map<String, Row> documented = documentedRows(configurationSection());
    Map<String, String> attributes = new TreeMap<>();
    Map<String, String> documentedAttributes = new TreeMap<>();
    for (TraceSettings.Setting<?> setting : TraceSettings.ALL) {
      attributes.put(setting.key.name(), setting.attribute == null ? "" : setting.attribute);
      documentedAttributes.put(setting.key.name(), documented.get(setting.key.name()).attribute());
    }
    assertThat(documentedAttributes).isEqualTo(attributes);
  }

  @Test
  void theKeysOfEveryModuleAreInTheTable() {
    // The plugins on this class path add theirs: traceunit-otel's key is one of them.
    assertThat(ConfigKeys.all(TraceExtension.PLUGINS)).extracting(ConfigKey::name)
        .contains("traceunit.otel.global", "traceunit.report.otlp", "traceunit.strict")
        .doesNotHaveDuplicates();
  }

  @Test
  void everyKeyOfAModuleIsUnderThePrefixThatNamesTheModuleWhenItIsMissing() {
    // Without traceunit-otel on the class path, traceunit.otel.global is unknown, and the message
    // names the module by the key's prefix: each plugin's keys must be under its own module's prefix.
    List<String> checked = new ArrayList<>();
    for (TraceExtensionPlugin plugin : TraceExtension.PLUGINS) {
      String artifact = "traceunit-" + plugin.getClass().getPackageName().split("\\.")[2];
      for (ConfigKey<?> key : plugin.configurationKeys()) {
        assertThat(ConfigKeys.module(key.name())).as(key.name() + " of " + plugin.getClass().getName())
            .isEqualTo(artifact);
        checked.add(key.name());
      }
    }
    assertThat(checked).contains("traceunit.otel.global");
    assertThat(ConfigKeys.module("traceunit.strict")).isNull();
  }

  /** The section under the heading, in README.md or, once it moved there, docs/configuration.md. */
  private static String configurationSection() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    for (Path page : List.of(root.resolve("README.md"), root.resolve("docs").resolve("configuration.md"))) {
      if (!Files.exists(page)) {
        continue;
      }
      String text = Files.readString(page);
      int start = text.indexOf("\n" + HEADING + "\n");
      if (start >= 0) {
        int end = text.indexOf("\n## ", start + HEADING.length() + 1);
        return text.substring(start + 1, end < 0 ? text.length() : end);
      }
    }
    throw new AssertionError("no '" + HEADING + "' section in README.md or docs/configuration.md");
  }

  private static Map<String, Row> documentedRows(String section) {
    Map<String, Row> rows = new LinkedHashMap<>();
    for (String line : section.split("\n")) {
      Matcher row = ROW.matcher(line);
      if (row.matches()) {
        String[] cells = row.group(2).split("\\|", -1);
        assertThat(cells).as("cells after the key in: " + line).hasSize(3);
        Row previous = rows.put(row.group(1), new Row(text(cells[0]), text(cells[1]), text(cells[2])));
        assertThat(previous).as("a second row for " + row.group(1)).isNull();
      }
    }
    assertThat(rows).as("rows of the configuration table").isNotEmpty();
    return rows;
  }

  private static String text(String cell) {
    return LINK.matcher(cell).replaceAll("$1").replace("`", "").trim();
  }
}
