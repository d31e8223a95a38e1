package org.sealpost.relay;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sealpost.mailbox.MailboxStore;
import org.sealpost.relay.transport.SessionHandlerFactory;

/**
 * What the relay runs behind its listener: the protocol (Noise session, commands) and the store it
 * owns. {@link RelayServer} starts it before binding and stops it after the last connection. {@link
 * RelayMain} finds it with {@link java.util.ServiceLoader}.
 */
public interface RelayApplication {
  /**
   * Opens the store and prepares command handling; blocking work goes to a worker pool, never the
   * calling event loop.
   *
   * @return the factory of per-connection handlers
   */
  Future<SessionHandlerFactory> start(RelayEnvironment environment);

  /** Whether the application can serve now (its store is open); drives {@code /ready}. */
  boolean ready();

  /**
   * Called once every connection has closed or the shutdown grace period has ended: finishes
   * pending writes and closes the store.
   */
  Future<Void> stop();

  // issue 14: a cluster node's shard availability
  /**
   * Lines shown on {@code /health} under {@code ok}, each ending in a newline (a cluster node's
   * shard availability); counts only, never a queue, client or address.
   */
  default String healthDetail() {
    return "";
  }

  // issue 12: online backups and store metrics
  /** The application's store once open, for online snapshots; empty if it has none. */
  default Optional<MailboxStore> store() {
    return Optional.empty();
  }

  /**
   * Every store the application has open, for the operator metrics: its one store, or a cluster
   * node's shard stores (issue 14); empty before they open and after stop.
   */
  default Collection<MailboxStore> stores() {
    return store().map(List::of).orElse(List.of());
  }

  /**
   * A cluster node's own shard stores by shard number, for online snapshots (issue 14); empty for a
   * single relay, before they open and after stop.
   */
  default Map<Integer, MailboxStore> shardStores() {
    return Map.of();
  }
}
