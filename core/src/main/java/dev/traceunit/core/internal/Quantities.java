package dev.traceunit.core.internal;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * How traceunit writes counts and durations in its texts (the tree, problems, assertion messages,
 * the run summary): one home, so they read the same everywhere. Not API: may change.
 */
public final class Quantities {

  private Quantities() {}

  /** {@return a count with its noun, plural unless it is one} {@code count(1, "span")} is {@code 1 span}. */
  public static String count(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }

  /** Milliseconds, exact: {@code 250ms}, {@code 1.5ms}, {@code 0.000042ms}. */
  public static String millis(Duration duration) {
    return appendMillis(new StringBuilder(24), duration).toString();
  }

  public static StringBuilder appendMillis(StringBuilder out, Duration duration) {
    long seconds = duration.getSeconds();
    int nanos = duration.getNano();
    if (Math.abs(seconds) < 9_000_000_000L) {
      // Plain long arithmetic: this runs twice a span, and BigDecimal made it most of render's cost.
      long total = seconds * 1_000_000_000L + nanos;
      long abs = Math.abs(total);
      if (total < 0) {
        out.append('-');
      }
      out.append(abs / 1_000_000);
      int fraction = (int) (abs % 1_000_000);
      if (fraction != 0) {
        int digits = 6;
        while (fraction % 10 == 0) {
          fraction /= 10;
          digits--;
        }
        out.append('.');
        for (int scale = 10, shown = 1; shown < digits; scale *= 10, shown++) {
          if (fraction < scale) {
            out.append('0'); // a leading zero of the fraction: 0.000042ms
          }
        }
        out.append(fraction);
      }
      return out.append("ms");
    }
    BigDecimal ms = BigDecimal.valueOf(seconds).multiply(BigDecimal.valueOf(1000))
        .add(BigDecimal.valueOf(nanos, 6));
    return out.append(ms.stripTrailingZeros().toPlainString()).append("ms");
  }
}
