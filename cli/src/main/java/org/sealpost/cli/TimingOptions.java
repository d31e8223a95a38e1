package org.sealpost.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sealpost.client.ClientOptions;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The client library's timing defences (issue 10) as command options; each is off unless given.
 * Durations are a number and a unit: {@code ms}, {@code s} or {@code m} ({@code 200ms}).
 */
final class TimingOptions {
  @Option(
      names = "--cover-interval",
      paramLabel = "T",
      converter = DurationConverter.class,
      description =
          "Constant rate upstream: send exactly one block every T (e.g. 200ms), a cover block when"
              + " nothing is due.")
  Duration coverInterval;

  @Option(
      names = "--send-jitter",
      paramLabel = "D",
      converter = DurationConverter.class,
      description = "Hold each Send for a random time, uniform in [0, D] (e.g. 2s).")
  Duration sendJitter;

  @Option(
      names = "--loop-cover",
      paramLabel = "M",
      converter = DurationConverter.class,
      description =
          "Send cover messages to a queue of this connection's own at random times, M apart on"
              + " average (e.g. 30s), and drop them when they come back.")
  Duration loopCover;

  ClientOptions.Builder applyTo(ClientOptions.Builder b) {
    return b.coverInterval(coverInterval).sendJitter(sendJitter).loopCover(loopCover);
  }

  /** {@code 200ms}, {@code 2s}, {@code 1m}. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(ms|s|m)");

    @Override
    public Duration convert(String value) {
      Matcher m = FORMAT.matcher(value);
      if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
        throw new TypeConversionException(
            "'" + value + "' is not a positive duration such as 200ms, 2s or 1m");
      }
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        default -> Duration.ofMinutes(n);
      };
    }
  }
}
