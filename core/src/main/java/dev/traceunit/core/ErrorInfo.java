package dev.traceunit.core;

import dev.traceunit.core.internal.Values;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Objects;

/**
 * An exception recorded on a span, kept as text so a trace outlives the exception's classes.
 *
 * @param type the exception's class name, e.g. {@code java.io.IOException}
 * @param message the exception's message, or null if it had none
 * @param stackTrace the stack trace as {@link Throwable#printStackTrace()} writes it; on a span that
 *     records an exception already recorded on another span of its trace (one exception passing up
 *     through nested spans), a note naming that span, which holds the whole stack trace
 */
public record ErrorInfo(String type, String message, String stackTrace) {

  /**
   * Checks that the type and stack trace are given.
   *
   * @param type the exception's class name, e.g. {@code java.io.IOException}
   * @param message the exception's message, or null if it had none
   * @param stackTrace the stack trace as {@link Throwable#printStackTrace()} writes it
   */
  public ErrorInfo {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(stackTrace, "stackTrace");
  }

  /**
   * Describes a throwable: its class name, message and printed stack trace. Never throws: a
   * message or stack trace the throwable cannot give (its {@code getMessage} or {@code toString}
   * throws) is described instead.
   *
   * @param error the exception to describe
   * @return its description
   */
  public static ErrorInfo of(Throwable error) {
    return of(error, Limits.MAX_VALUE_LENGTH);
  }

  /** Like {@link #of(Throwable)}, with message and stack trace cut to {@code maxLength} chars. */
  static ErrorInfo of(Throwable error, int maxLength) {
    String type = error.getClass().getName();
    String message;
    try {
      message = error.getMessage();
    } catch (Throwable t) {
      message = "<" + type + ".getMessage() threw " + t.getClass().getName() + ">";
    }
    String stackTrace;
    try {
      StringWriter out = new StringWriter();
      error.printStackTrace(new PrintWriter(out));
      stackTrace = out.toString();
    } catch (Throwable t) {
      stackTrace = framesOnly(error, type, t);
    }
    return new ErrorInfo(type, message == null ? null : cut(message, maxLength), cut(stackTrace, maxLength));
  }

  /** What follows the type on the first line of a stack trace whose printing threw. */
  private static final String PRINTING_THREW = " (printing it threw ";

  /**
   * Whether the stack trace is the printed one, not the frames-only stand-in for a throwable whose
   * printing threw (a {@code StackOverflowError} printed near the end of the stack, say).
   */
  boolean isPrinted() {
    return !stackTrace.startsWith(type + PRINTING_THREW);
  }

  /** The stack trace without messages, for a throwable whose printing threw. */
  private static String framesOnly(Throwable error, String type, Throwable failure) {
    StringBuilder out = new StringBuilder(type).append(PRINTING_THREW).append(failure.getClass().getName())
        .append(")").append(System.lineSeparator());
    try {
      for (StackTraceElement frame : error.getStackTrace()) {
        out.append("\tat ").append(frame).append(System.lineSeparator());
      }
    } catch (Throwable ignored) {
      // Nothing more can be told about it.
    }
    return out.toString();
  }

  private static String cut(String text, int maxLength) {
    if (text.length() <= maxLength) {
      return text;
    }
    String kept = Values.cutText(text, maxLength);
    return kept + "…[truncated " + (text.length() - kept.length()) + " chars]";
  }

  /** {@return the class name without its package, e.g. {@code IOException}} */
  public String simpleType() {
    int dot = type.lastIndexOf('.');
    return dot < 0 ? type : type.substring(dot + 1);
  }
}
