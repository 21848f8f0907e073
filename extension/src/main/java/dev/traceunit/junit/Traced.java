package dev.traceunit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Registers {@link TraceExtension} and sets what it does for the annotated class or method. Each
 * attribute mirrors a configuration parameter and, when set, wins over it; a method's annotation
 * wins over its class's, a nested class's over its enclosing class's. Values are checked like
 * configuration parameters: a bad one fails the test with a message naming the attribute.
 *
 * <pre>{@code
 * @Traced(dump = "always", maxSpans = 10_000)
 * class CheckoutTest {
 *   @Test
 *   @Traced(strict = "false")             // this test tolerates problems
 *   void paysOnce(Spans spans, MockClock clock) { ... }
 * }
 * }</pre>
 *
 * <p>Register the extension once per class: with {@code @Traced}, {@code @ExtendWith} or {@code
 * @RegisterExtension}, not several of them.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(TraceExtension.class)
public @interface Traced {

  /** The value of a limit attribute that is not set; any other negative number is rejected. */
  int UNSET = -1;

  /**
   * {@code traceunit.clock.start}: the mock clock's start, an ISO-8601 instant; "" if not set.
   *
   * @return the start, or ""
   */
  String clockStart() default "";

  /**
   * {@code traceunit.strict}: {@code "true"} or {@code "false"}; "" if not set.
   *
   * @return the setting, or ""
   */
  String strict() default "";

  /**
   * {@code traceunit.dump}: {@code "on-failure"}, {@code "always"} or {@code "never"}; "" if not set.
   *
   * @return the setting, or ""
   */
  String dump() default "";

  /**
   * {@code traceunit.dump.formats}: some of {@code "text"}, {@code "json"}, {@code "otlp"}; none if not set.
   *
   * @return the formats, or none
   */
  String[] dumpFormats() default {};

  /**
   * {@code traceunit.limits.max-attributes}; {@link #UNSET} if not set.
   *
   * @return the limit, or {@link #UNSET}
   */
  int maxAttributes() default UNSET;

  /**
   * {@code traceunit.limits.max-key-length}; {@link #UNSET} if not set.
   *
   * @return the limit, or {@link #UNSET}
   */
  int maxKeyLength() default UNSET;

  /**
   * {@code traceunit.limits.max-value-length}; {@link #UNSET} if not set.
   *
   * @return the limit, or {@link #UNSET}
   */
  int maxValueLength() default UNSET;

  /**
   * {@code traceunit.limits.max-events}; {@link #UNSET} if not set.
   *
   * @return the limit, or {@link #UNSET}
   */
  int maxEvents() default UNSET;

  /**
   * {@code traceunit.limits.max-links}; {@link #UNSET} if not set.
   *
   * @return the limit, or {@link #UNSET}
   */
  int maxLinks() default UNSET;

  /**
   * {@code traceunit.limits.max-spans}; {@link #UNSET} if not set.
   *
   * @return the limit, or {@link #UNSET}
   */
  int maxSpans() default UNSET;

  /**
   * {@code traceunit.limits.max-problems}; {@link #UNSET} if not set.
   *
   * @return the limit, or {@link #UNSET}
   */
  int maxProblems() default UNSET;

  /**
   * {@code traceunit.limits.max-name-length}; {@link #UNSET} if not set.
   *
   * @return the limit, or {@link #UNSET}
   */
  int maxNameLength() default UNSET;

  /**
   * {@code traceunit.limits.max-value-elements}; {@link #UNSET} if not set.
   *
   * @return the limit, or {@link #UNSET}
   */
  int maxValueElements() default UNSET;

  /**
   * {@code traceunit.limits.max-value-nodes}; {@link #UNSET} if not set.
   *
   * @return the limit, or {@link #UNSET}
   */
  int maxValueNodes() default UNSET;

  /**
   * {@code traceunit.capture.output}: {@code "true"} records each line printed to {@code
   * System.out}/{@code System.err} as a {@code log} event (see docs/output-capture.md); "" if not set.
   *
   * @return the setting, or ""
   */
  String captureOutput() default "";

  /**
   * {@code traceunit.redact}: regular expressions for attribute keys whose values every text (dumps,
   * reports, assertion messages) masks, or
   * {@code "none"}; none given means not set (the default masks passwords, passphrases, secrets,
   * tokens, authorization, bearer, API and private keys, credentials, JWTs, cookies and session ids).
   * An empty or blank pattern is rejected: {@code "none"} is the one way to turn masking off.
   *
   * @return the patterns, or none
   */
  String[] redact() default {};
}
