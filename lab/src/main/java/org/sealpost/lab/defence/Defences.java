package org.sealpost.lab.defence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code --defence} values: {@code none}, {@code delay:1s[/5s]}, {@code batch:2s[/k]},
 * {@code constant-rate:200ms}.
 */
public final class Defences {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");

  private Defences() {}

  public static List<Defence> parseAll(List<String> specs) {
    List<Defence> out = new ArrayList<>();
    for (String s : specs) {
      out.add(parse(s.trim()));
    }
    return out;
  }

  public static Defence parse(String spec) {
    int colon = spec.indexOf(':');
    String kind = colon < 0 ? spec : spec.substring(0, colon);
    String arg = colon < 0 ? "" : spec.substring(colon + 1);
    String[] parts = arg.split("/", 2);
    switch (kind) {
      case "none":
        if (!arg.isEmpty()) {
          throw new IllegalArgumentException("'none' takes no parameter");
        }
        return new NoDefence();
      case "delay":
        return new DelayDefence(
            duration(parts[0], spec), parts.length > 1 ? duration(parts[1], spec) : null);
      case "batch":
        return new BatchDefence(
            duration(parts[0], spec), parts.length > 1 ? positive(parts[1], spec) : 0);
      case "constant-rate":
        return new ConstantRateDefence(duration(arg, spec));
      default:
        throw new IllegalArgumentException(
            "unknown defence '"
                + spec
                + "' (none, delay:<d>[/<max>], batch:<T>[/<k>], constant-rate:<T>)");
    }
  }

  static Duration duration(String text, String spec) {
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "bad duration '" + text + "' in '" + spec + "' (e.g. 200ms, 1s)");
    }
    long v = Long.parseLong(m.group(1));
    Duration d =
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(v);
          case "s" -> Duration.ofSeconds(v);
          default -> Duration.ofMinutes(v);
        };
    if (d.isZero()) {
      throw new IllegalArgumentException("duration must be positive in '" + spec + "'");
    }
    return d;
  }

  private static int positive(String text, String spec) {
    try {
      int k = Integer.parseInt(text);
      if (k > 0) {
        return k;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("bad batch minimum '" + text + "' in '" + spec + "'");
  }

  /** The relay's duration syntax: 200ms, 2s. */
  static String format(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }
}
