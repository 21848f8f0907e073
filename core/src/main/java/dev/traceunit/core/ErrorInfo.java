package dev.traceunit.core;

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

  public ErrorInfo {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(stackTrace, "stackTrace");
  }

  /** Describes a throwable: its class name, message and printed stack trace. */
  public static ErrorInfo of(Throwable error) {
    StringWriter out = new StringWriter();
    error.printStackTrace(new PrintWriter(out));
    return new ErrorInfo(error.getClass().getName(), error.getMessage(), out.toString());
  }

  /** The class name without its package, e.g. {@code IOException}. */
  public String simpleType() {
    int dot = type.lastIndexOf('.');
    return dot < 0 ? type : type.substring(dot + 1);
  }
}
