package org.sealpost.relay.transport;

/** Creates the handler of a newly accepted connection, on that connection's context. */
@FunctionalInterface
public interface SessionHandlerFactory {
  SessionHandler create(Session session);
}
