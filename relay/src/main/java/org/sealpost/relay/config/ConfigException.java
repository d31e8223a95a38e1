package org.sealpost.relay.config;

import java.util.List;
import java.util.stream.Collectors;

/** The relay's configuration was refused; {@link #problems()} names every bad setting. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<ConfigProblem> problems;

  public ConfigException(List<ConfigProblem> problems) {
    super(
        problems.stream()
            .map(ConfigProblem::message)
            .collect(Collectors.joining("\n", "invalid relay configuration:\n", "")));
    this.problems = List.copyOf(problems);
  }

  public List<ConfigProblem> problems() {
    return problems;
  }
}
