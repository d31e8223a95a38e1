package org.sealpost.relay.config;

/**
 * What the operator information page at {@code /} shows besides what the relay derives from its own
 * settings (issue 12). Every text is plain text, at most {@link #MAX_TEXT} characters without
 * control characters; the page escapes it.
 *
 * @param enabled whether the listener serves the page
 * @param name the relay's name; empty = {@code public-host}
 * @param operator who runs the relay; empty = not shown
 * @param contact how to reach the operator; empty = not shown
 * @param policy the operator's usage policy; empty = a sentence saying none was given
 * @param source where the source of the running version is; empty = not shown
 */
public record InfoPageSettings(
    boolean enabled, String name, String operator, String contact, String policy, String source) {
  /** The longest text a setting may hold. */
  public static final int MAX_TEXT = 2000;
}
