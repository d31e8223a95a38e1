/**
 * The initiator's side of a session handshake (protocol §2, §4.2), fed bytes only, shared by the
 * client library and the relay's relay-to-relay sessions (which must not depend on each other).
 */
package org.sealpost.proto.session;
