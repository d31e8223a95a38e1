package org.sealpost.lab.run;

import java.util.HashMap;
import java.util.Map;
import org.sealpost.client.ClientOptions;
import org.sealpost.client.SealpostClient;
import org.sealpost.lab.defence.Defence;

/**
 * Client-library instances shared by the runs of one lab invocation, one per distinct set of client
 * options: a new client costs about 15 s of first TLS set-up on a loaded 2-core machine, which
 * would otherwise be paid by every run. Runs use dedicated connections and close them, so nothing
 * but that set-up carries over from one run to the next.
 */
public final class ClientPool implements AutoCloseable {
  private final ClientOptions base = ClientOptions.defaults().toBuilder().reconnect(false).build();
  private final Map<ClientOptions, SealpostClient> clients = new HashMap<>();

  /** The client for a defence's options (created on first use). */
  public synchronized SealpostClient forDefence(Defence defence) {
    // same base instance (and random source) each time, so equal settings give equal records
    ClientOptions options = defence.clientOptions(base.toBuilder()).build();
    return clients.computeIfAbsent(options, SealpostClient::create);
  }

  @Override
  public synchronized void close() {
    clients.values().forEach(SealpostClient::close);
    clients.clear();
  }
}
