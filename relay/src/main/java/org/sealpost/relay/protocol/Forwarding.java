package org.sealpost.relay.protocol;

import java.util.Objects;
import java.util.concurrent.Executor;
import org.sealpost.proto.crypto.ReplayGuard;
import org.sealpost.relay.config.ForwardSettings;
import org.sealpost.relay.forward.ForwardPool;

/**
 * What two-hop sending needs, shared by every session (issue 11): the settings, the first relay's
 * pool of relay-to-relay sessions, the destination's replay memory (§9.2), and the worker executor
 * that opens sealed requests (an X25519 agreement each, kept off the event loop like
 * CreateQueue's).
 *
 * @param pool null when forwarding is off
 * @param replayGuard null when forwarding is off
 * @param keyExecutor null when forwarding is off
 */
public record Forwarding(
    ForwardSettings settings, ForwardPool pool, ReplayGuard replayGuard, Executor keyExecutor) {

  public Forwarding {
    Objects.requireNonNull(settings, "settings");
    if (settings.enabled()) {
      Objects.requireNonNull(pool, "pool");
      Objects.requireNonNull(replayGuard, "replayGuard");
      Objects.requireNonNull(keyExecutor, "keyExecutor");
    }
  }

  /** Forwarding off: Forward and RelayForward answer PROHIBITED. */
  public static Forwarding disabled() {
    return new Forwarding(ForwardSettings.disabled(), null, null, null);
  }

  public boolean enabled() {
    return settings.enabled();
  }
}
