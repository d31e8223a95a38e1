package org.sealpost.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.mailbox.MailboxStore;
import org.sealpost.mailbox.MessageId;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.StoredEnvelope;
import org.sealpost.mailbox.rocksdb.RocksMailboxStore;
import org.sealpost.proto.crypto.RandomSource;
import org.sealpost.proto.v1.Frame;
import org.sealpost.relay.RelayApplication;
import org.sealpost.relay.RelayEnvironment;
import org.sealpost.relay.RelayServer;
import org.sealpost.relay.RunningRelay;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.config.RelayConfigLoader;
import org.sealpost.relay.delivery.LocalSubscriptionRegistry;
import org.sealpost.relay.delivery.SubscriptionHub;
import org.sealpost.relay.queue.AuthorizedQueue;
import org.sealpost.relay.queue.CreatedQueue;
import org.sealpost.relay.queue.LocalQueueService;
import org.sealpost.relay.queue.QueueService;
import org.sealpost.relay.transport.SessionHandlerFactory;

/**
 * Send is answered only after the command path reports the envelope stored: here the store's
 * completion is held back, and the Ok waits for it.
 */
class DurableSendIT {
  @TempDir Path dataDir;

  /** Delegates to the local service, but completes Sends only when released. */
  static final class GatedService implements QueueService {
    final QueueService delegate;
    final CompletableFuture<Void> gate = new CompletableFuture<>();
    final CompletableFuture<Void> stored = new CompletableFuture<>();

    GatedService(QueueService delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletionStage<Void> send(byte[] senderId, byte[] envelope, byte[] token) {
      return delegate
          .send(senderId, envelope, token)
          .thenRun(() -> stored.complete(null))
          .thenCompose(v -> gate);
    }

    @Override
    public CompletionStage<CreatedQueue> create(byte[] recipientDhPublic) {
      return delegate.create(recipientDhPublic);
    }

    @Override
    public CompletionStage<AuthorizedQueue> authorize(
        byte[] recipientId, byte[] handshakeHash, byte[] command, byte[] mac) {
      return delegate.authorize(recipientId, handshakeHash, command, mac);
    }

    @Override
    public CompletionStage<Void> secure(QueueId queue, byte[] sendToken) {
      return delegate.secure(queue, sendToken);
    }

    @Override
    public CompletionStage<List<StoredEnvelope>> readPending(
        QueueId queue, long afterPosition, int maxCount) {
      return delegate.readPending(queue, afterPosition, maxCount);
    }

    @Override
    public CompletionStage<Boolean> isFull(QueueId queue) {
      return delegate.isFull(queue);
    }

    @Override
    public CompletionStage<Boolean> ack(QueueId queue, MessageId messageId) {
      return delegate.ack(queue, messageId);
    }

    @Override
    public CompletionStage<Void> delete(QueueId queue) {
      return delegate.delete(queue);
    }
  }

  @Test
  void sendIsAnsweredOnlyAfterTheStoreCompletes() throws Exception {
    RelayConfig config =
        RelayConfigLoader.fromSettings(
            Map.of(
                "data-dir", dataDir.toString(),
                "listen.host", "127.0.0.1",
                "listen.port", "0",
                "admin.port", "0",
                "tls.enabled", "false",
                "event-loops", "1",
                "shutdown.grace", "1s"));
    MailboxStore[] store = new MailboxStore[1];
    GatedService[] gated = new GatedService[1];
    RelayApplication application =
        new RelayApplication() {
          @Override
          public Future<SessionHandlerFactory> start(RelayEnvironment env) {
            return env.vertx()
                .executeBlocking(
                    () ->
                        RocksMailboxStore.opener(ProtocolApplication.mailboxConfig(config)).open())
                .map(
                    opened -> {
                      store[0] = opened;
                      SubscriptionHub hub = new SubscriptionHub(new LocalSubscriptionRegistry<>());
                      gated[0] =
                          new GatedService(
                              new LocalQueueService(
                                  opened, RandomSource.secure(), Runnable::run, hub));
                      return new ProtocolSessionHandlerFactory(
                          ProtocolSettings.from(config),
                          env.relayKey(),
                          new SecureRandom(),
                          gated[0],
                          hub,
                          new ProtocolMetrics(env.meterRegistry()),
                          System::nanoTime);
                    });
          }

          @Override
          public boolean ready() {
            return store[0] != null;
          }

          @Override
          public Future<Void> stop() {
            store[0].close();
            return Future.succeededFuture();
          }
        };
    Vertx vertx = Vertx.vertx();
    RunningRelay relay =
        TestClient.await(
            RelayServer.start(
                vertx, config, application, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
    try (TestClient client =
        TestClient.connect(vertx, relay.port(), relay.relayPublicKey(), config.blockSize())) {
      TestClient.QueueCreds queue = client.createQueue();
      CompletableFuture<Frame> reply =
          client
              .sendAll(List.of(client.sendFrame(queue.senderId(), client.randomEnvelope(), null)))
              .get(0);
      gated[0].stored.get(10, TimeUnit.SECONDS);
      // the envelope is in the store, but the command path has not reported completion yet
      assertThat(pingReply(client).hasPong()).isTrue();
      assertThat(reply).isNotDone();
      gated[0].gate.complete(null);
      assertThat(reply.get(10, TimeUnit.SECONDS).hasOk()).isTrue();
    } finally {
      TestClient.await(relay.close());
      TestClient.await(vertx.close());
    }
  }

  private static Frame pingReply(TestClient client) {
    return ProtocolBadInputIT.ping(client);
  }
}
