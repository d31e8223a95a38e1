package org.sealpost.benchmarks.load;

import java.util.concurrent.CompletableFuture;

/** One sender connection. */
public interface PeerSender extends AutoCloseable {

  /**
   * Sends {@code content} to {@code recipient}. The future completes when the peer has accepted the
   * message in the sense stated by {@link PeerDescription#accepted()}, and fails if it refused it.
   * May be called again before earlier futures completed; the harness bounds how many are
   * outstanding.
   */
  CompletableFuture<Void> send(int recipient, byte[] content);

  @Override
  void close();
}
