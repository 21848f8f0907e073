package dev.traceunit.core.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * OpenTelemetry's ids for traceunit's, and the attributes that carry a bridged span's instrumentation
 * scope and resource: the rules the OTLP dump and the OpenTelemetry bridge share, so a span has the
 * same ids, scope and resource in both. Not API: may change.
 */
public final class OtlpIds {

  /** The instrumentation scope's name on a span the bridge recorded (OpenTelemetry's non-OTLP convention). */
  public static final String SCOPE_NAME = "otel.scope.name";
  /** The instrumentation scope's version on a span the bridge recorded, where the scope has one. */
  public static final String SCOPE_VERSION = "otel.scope.version";
  /**
   * The SDK's resource, a map of its attributes, on the first span each bridged SDK records in a
   * trace (once, not on every span).
   */
  public static final String RESOURCE = "otel.resource";

  /** Whether {@code key} is one of the attributes that carry a bridged span's scope or resource. */
  public static boolean isOrigin(String key) {
    return key.startsWith("otel.") && (key.equals(SCOPE_NAME) || key.equals(SCOPE_VERSION) || key.equals(RESOURCE));
  }

  private static final HexFormat HEX = HexFormat.of();

  private OtlpIds() {}

  /** The trace id of a traceunit trace id: 32 lower-case hex digits, the same on every run. */
  public static String traceId(String traceunitTraceId) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(traceunitTraceId.getBytes(StandardCharsets.UTF_8));
      return HEX.formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The span id of a traceunit span id: 16 lower-case hex digits. */
  public static String spanId(long traceunitSpanId) {
    return HEX.toHexDigits(traceunitSpanId);
  }
}
