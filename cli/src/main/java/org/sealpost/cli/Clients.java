package org.sealpost.cli;

import java.util.concurrent.CompletionStage;
import org.sealpost.client.ClientOptions;
import org.sealpost.client.SealpostClient;

/** Client construction and waiting, the same way for every command. */
final class Clients {
  private Clients() {}

  /** A client for a command that runs once: a lost connection is an error, not a retry. */
  static SealpostClient oneShot() {
    return SealpostClient.create(ClientOptions.defaults().toBuilder().reconnect(false).build());
  }

  /** A one-shot client through the proxy asked for, if any (issue 12). */
  static SealpostClient oneShot(ProxyOption proxy) {
    return SealpostClient.create(
        proxy.applyTo(ClientOptions.defaults().toBuilder().reconnect(false)).build());
  }

  /** A one-shot client with the timing defences asked for (issue 10). */
  static SealpostClient oneShot(TimingOptions timing) {
    return SealpostClient.create(
        timing.applyTo(ClientOptions.defaults().toBuilder().reconnect(false)).build());
  }

  /** A one-shot client with the timing defences and proxy asked for (issues 10, 12). */
  static SealpostClient oneShot(TimingOptions timing, ProxyOption proxy) {
    return SealpostClient.create(
        proxy
            .applyTo(timing.applyTo(ClientOptions.defaults().toBuilder().reconnect(false)))
            .build());
  }

  /** A client that keeps its subscriptions across reconnects. */
  static SealpostClient longRunning() {
    return SealpostClient.create(ClientOptions.defaults());
  }

  /** A long-running client with the timing defences asked for (issue 10). */
  static SealpostClient longRunning(TimingOptions timing) {
    return SealpostClient.create(timing.applyTo(ClientOptions.defaults().toBuilder()).build());
  }

  /** A long-running client with the timing defences and proxy asked for (issues 10, 12). */
  static SealpostClient longRunning(TimingOptions timing, ProxyOption proxy) {
    return SealpostClient.create(
        proxy.applyTo(timing.applyTo(ClientOptions.defaults().toBuilder())).build());
  }

  /** Waits for a stage; failures surface as the exception {@link Failures} describes. */
  static <T> T await(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }
}
