/**
 * Operator commands that work on a relay's configuration and data directory without serving
 * clients: {@code sealpost relay address}, {@code sealpost relay --check}, {@code sealpost relay
 * backup}. Each returns the exit code documented in {@link org.sealpost.relay.RelayMain}.
 */
package org.sealpost.relay.tools;
