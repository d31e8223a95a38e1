package org.sealpost.relay.protocol;

import org.sealpost.relay.queue.QueueService;
import org.sealpost.relay.transport.SessionHandlerFactory;

/**
 * Wrappers an embedding program (the leakage lab, tests) may put around the relay's command path
 * and session factory, in its own class path: the relay itself never installs one, and no setting
 * turns one on. Every defence and feature wired by {@link ProtocolApplication} stays in place
 * underneath, so what is measured is the relay as configured.
 */
public interface Instrumentation {
  /** No wrapping: the relay as shipped. */
  Instrumentation NONE = new Instrumentation() {};

  /** The command path the sessions will use, given the relay's own. */
  default QueueService wrapQueues(QueueService queues) {
    return queues;
  }

  /** The session factory the listeners will use, given the relay's own. */
  default SessionHandlerFactory wrapFactory(SessionHandlerFactory factory) {
    return factory;
  }
}
