package org.sealpost.relay.config;

/** The closed set of reasons a relay configuration is refused. */
public enum ConfigError {
  /** A key in the config file or a command-line flag that the relay does not know. */
  UNKNOWN_SETTING,
  /**
   * A command-line argument that is not of the form {@code --name value} or {@code --name=value}.
   */
  BAD_ARGUMENT,
  /** The config file cannot be read or parsed. */
  FILE_UNREADABLE,
  /** A value that must be a number (a whole number, or a decimal where allowed) is not one. */
  NOT_A_NUMBER,
  /** A value that must be {@code true} or {@code false} is neither. */
  NOT_A_BOOLEAN,
  /** A value that must be a duration such as {@code 10s} or {@code 21d} is not one. */
  NOT_A_DURATION,
  /** A number or duration outside its allowed range. */
  OUT_OF_RANGE,
  /** A value of the right type that is not allowed (for example a non-loopback admin address). */
  INVALID_VALUE,
  /** Two settings that contradict each other. */
  CONFLICT
}
