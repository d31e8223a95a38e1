package org.sealpost.relay.config;

/**
 * One reason a configuration was refused.
 *
 * @param setting the setting's key (for example {@code listen.port}), never its value
 * @param error what is wrong
 * @param message a sentence that names the setting and where it came from; it repeats the value
 *     only for settings that are not secret
 */
public record ConfigProblem(String setting, ConfigError error, String message) {}
