package dev.traceunit.junit.spi;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * One {@code traceunit.*} configuration key: its name, its default, what it allows and means, and
 * the one parser of its values, so that every bad value fails the same way, naming the key, the
 * value and what is allowed. A module that reads a key of its own returns it from {@link
 * TraceExtensionPlugin#configurationKeys()}: the extension then knows the key (an unknown
 * {@code traceunit.*} key fails every test) and checks its value before the first test.
 *
 * <pre>{@code
 * static final ConfigKey<Boolean> GLOBAL = ConfigKey.flag("traceunit.otel.global", false,
 *     "makes each test's OpenTelemetry SDK the global one");
 * boolean global = GLOBAL.read(context::getConfigurationParameter);
 * }</pre>
 *
 * @param <T> the type of the key's values
 */
public final class ConfigKey<T> {

  private static final String BOOLEAN = "true or false";

  private final String name;
  private final String type;
  private final T defaultValue;
  private final String defaultText;
  private final String allowed;
  private final String meaning;
  private final Function<String, ? extends T> parser;
  private final boolean secret;

  private ConfigKey(String name, String type, T defaultValue, String defaultText, String allowed, String meaning,
      Function<String, ? extends T> parser, boolean secret) {
    if (!name.startsWith("traceunit.")) {
      throw new IllegalArgumentException("a configuration key of traceunit starts with 'traceunit.': " + name);
    }
    this.name = name;
    this.type = Objects.requireNonNull(type, "type");
    this.defaultValue = defaultValue;
    this.defaultText = Objects.requireNonNull(defaultText, "defaultText");
    this.allowed = Objects.requireNonNull(allowed, "allowed");
    this.meaning = Objects.requireNonNull(meaning, "meaning");
    this.parser = Objects.requireNonNull(parser, "parser");
    this.secret = secret;
  }

  /**
   * A key of any type.
   *
   * @param <T> the type of its values
   * @param name the key, starting with {@code traceunit.}
   * @param type the kind of value, as the configuration table shows it (e.g. {@code instant})
   * @param defaultValue the value when the key is not set
   * @param defaultText the default as the configuration table shows it
   * @param allowed what a value may be, completing "must be …" (e.g. {@code an ISO-8601 instant})
   * @param meaning what the key does
   * @param parser reads a value (trimmed); throws an {@link IllegalArgumentException} (or any
   *     {@link RuntimeException}) for a value that is not allowed
   * @return the key
   */
  public static <T> ConfigKey<T> of(String name, String type, T defaultValue, String defaultText, String allowed,
      String meaning, Function<String, ? extends T> parser) {
    return new ConfigKey<>(name, type, defaultValue, defaultText, allowed, meaning, parser, false);
  }

  /**
   * A key that is {@code true} or {@code false}, nothing else: a typo must not silently mean false.
   *
   * @param name the key
   * @param defaultValue the value when the key is not set
   * @param meaning what {@code true} does
   * @return the key
   */
  public static ConfigKey<Boolean> flag(String name, boolean defaultValue, String meaning) {
    return of(name, "boolean", defaultValue, Boolean.toString(defaultValue), BOOLEAN, meaning, ConfigKey::parseFlag);
  }

  /**
   * A key that is a whole number in ASCII digits from {@code min} to {@code max}.
   *
   * @param name the key
   * @param defaultValue the value when the key is not set
   * @param min the smallest allowed value, at least 0
   * @param max the largest allowed value
   * @param meaning what the number is
   * @return the key
   */
  public static ConfigKey<Integer> wholeNumber(String name, int defaultValue, int min, int max, String meaning) {
    // Always both bounds: "of at least 0" alone would refuse 99999999999 without saying why.
    String allowed = "a whole number in ASCII digits from " + min + " to " + max;
    return of(name, "whole number", defaultValue, Integer.toString(defaultValue), allowed, meaning, value -> {
      int parsed = parseAsciiInt(value);
      if (parsed < min || parsed > max) {
        throw new IllegalArgumentException("out of range");
      }
      return parsed;
    });
  }

  /**
   * {@return this key, whose values may hold a secret: a message about a bad value never shows the
   * value, only what its parser's exception says (which must not show it either)}
   */
  public ConfigKey<T> secret() {
    return new ConfigKey<>(name, type, defaultValue, defaultText, allowed, meaning, parser, true);
  }

  /**
   * The value of this key in a configuration, or its default when the configuration does not set it.
   *
   * @param configuration looks a configuration parameter up by key, such as {@code
   *     ExtensionContext::getConfigurationParameter} or {@code ConfigurationParameters::get}
   * @return the value
   * @throws ExtensionConfigurationException if the value is not allowed, naming the key, the value
   *     (unless the key is {@linkplain #secret() secret}) and what is allowed
   */
  public T read(Function<String, Optional<String>> configuration) {
    Optional<String> value = configuration.apply(name);
    return value.isPresent() ? parse(value.get().trim(), name) : defaultValue;
  }

  /**
   * Parses one value of this key.
   *
   * @param value the value as written
   * @param where where it was written, for the message: the key, an annotation attribute or a builder call
   * @return the value
   * @throws ExtensionConfigurationException if the value is not allowed: "{@code <where> is '<value>'
   *     but must be <allowed>}"
   */
  public T parse(String value, String where) {
    T parsed;
    try {
      parsed = parser.apply(value);
    } catch (RuntimeException notAllowed) {
      if (secret) {
        // Neither the value nor a message or cause that could quote it: the key may hold a secret.
        throw new ExtensionConfigurationException(where + " is a value not shown here (it may hold a secret)"
            + (notAllowed.getMessage() == null ? "" : " that " + notAllowed.getMessage()) + ", but must be " + allowed);
      }
      throw new ExtensionConfigurationException(where + " is '" + value + "' but must be " + allowed, notAllowed);
    }
    if (parsed == null) {
      throw new ExtensionConfigurationException(where + " is '" + (secret ? "…" : value) + "' but must be " + allowed);
    }
    return parsed;
  }

  /** {@return the key, such as {@code traceunit.strict}} */
  public String name() {
    return name;
  }

  /** {@return the kind of value, such as {@code boolean} or {@code whole number}} */
  public String type() {
    return type;
  }

  /** {@return the value when the key is not set} */
  public T defaultValue() {
    return defaultValue;
  }

  /** {@return the default as the configuration table shows it} */
  public String defaultText() {
    return defaultText;
  }

  /** {@return what a value may be, completing "must be …"} */
  public String allowed() {
    return allowed;
  }

  /** {@return what the key does} */
  public String meaning() {
    return meaning;
  }

  /** {@return whether a value of this key may hold a secret, so that messages never show it} */
  public boolean isSecret() {
    return secret;
  }

  @Override
  public String toString() {
    return name;
  }

  /** The one boolean parser of traceunit's configuration: only {@code true} or {@code false}. */
  private static Boolean parseFlag(String value) {
    if (!value.equals("true") && !value.equals("false")) {
      throw new IllegalArgumentException("not " + BOOLEAN);
    }
    return value.equals("true");
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
}
