package dev.traceunit.core.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * OpenTelemetry's ids for traceunit's: the one rule the OTLP dump and the OpenTelemetry bridge share,
 * so a span has the same ids in both. Not API: may change.
 */
public final class OtlpIds {

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
