package org.sealpost.relay.delivery;

import java.util.Locale;

/** What the relay pushed without a request: the {@code kind} tag of {@code sealpost.pushes}. */
public enum PushKind {
  MESSAGE,
  END,
  QUOTA_REACHED;

  /** The metric tag value, e.g. {@code quota_reached}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
