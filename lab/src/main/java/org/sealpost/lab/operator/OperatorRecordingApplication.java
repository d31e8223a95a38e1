package org.sealpost.lab.operator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Executor;
import org.sealpost.mailbox.MailboxStore;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.rocksdb.RocksMailboxStore;
import org.sealpost.proto.crypto.RandomSource;
import org.sealpost.relay.RelayApplication;
import org.sealpost.relay.RelayEnvironment;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.delivery.LocalSubscriptionRegistry;
import org.sealpost.relay.delivery.SubscriptionHub;
import org.sealpost.relay.protocol.ProtocolApplication;
import org.sealpost.relay.protocol.ProtocolMetrics;
import org.sealpost.relay.protocol.ProtocolSessionHandlerFactory;
import org.sealpost.relay.protocol.ProtocolSettings;
import org.sealpost.relay.queue.LocalQueueService;
import org.sealpost.relay.transport.SessionHandlerFactory;

/**
 * The lab's relay application: the relay's own protocol and store ({@link ProtocolApplication}'s
 * wiring, same classes), with the command path wrapped by {@link RecordingQueueService} so the lab
 * sees what a curious operator sees. It lives only on the lab's class path (the lab jar goes first,
 * so {@link java.util.ServiceLoader} finds it before the relay's own); the shipped relay has no
 * tap. Without the system property {@value #LOG_PROPERTY} it records nothing and simply runs the
 * relay's own {@link ProtocolApplication} ({@code run-lab --no-operator-view}: the network view of
 * the relay exactly as shipped, whatever its wiring).
 */
public final class OperatorRecordingApplication implements RelayApplication {
  /** Where the operator's notes go (a file path, given by the lab on the java command line). */
  public static final String LOG_PROPERTY = "sealpost.lab.operator-log";

  private static final int KEY_WORKERS = 2;

  private volatile RelayApplication stock;
  private volatile MailboxStore store;
  private volatile LocalQueueService local;
  private volatile boolean stopped;
  private OperatorLog log;
  private WorkerExecutor keyWorkers;
  private Vertx vertx;

  @Override
  public Future<SessionHandlerFactory> start(RelayEnvironment environment) {
    String logPath = System.getProperty(LOG_PROPERTY);
    if (logPath == null || logPath.isBlank()) {
      stock = new ProtocolApplication();
      return stock.start(environment);
    }
    vertx = environment.vertx();
    RelayConfig config = environment.config();
    ProtocolSettings settings = ProtocolSettings.from(config);
    var mailboxConfig = ProtocolApplication.mailboxConfig(config, environment.mayCreateStore());
    return vertx
        .executeBlocking(
            () -> {
              log = new OperatorLog(Path.of(logPath));
              return RocksMailboxStore.opener(mailboxConfig).open();
            })
        .compose(
            opened -> {
              store = opened;
              SecureRandom random = new SecureRandom();
              keyWorkers = vertx.createSharedWorkerExecutor("sealpost-queue-keys", KEY_WORKERS);
              Executor keyExecutor =
                  task ->
                      keyWorkers.executeBlocking(
                          () -> {
                            task.run();
                            return null;
                          },
                          false);
              SubscriptionHub hub = new SubscriptionHub(new LocalSubscriptionRegistry<QueueId>());
              local =
                  new LocalQueueService(
                      opened,
                      RandomSource.of(random),
                      keyExecutor,
                      hub,
                      config.queueCreateRateGlobal(),
                      System::nanoTime);
              RecordingSessionHandlerFactory recording = new RecordingSessionHandlerFactory(log);
              RecordingQueueService queues =
                  new RecordingQueueService(local, log, recording::currentConnection);
              recording.delegateTo(
                  new ProtocolSessionHandlerFactory(
                      settings,
                      environment.relayKey(),
                      random,
                      queues,
                      hub,
                      new ProtocolMetrics(environment.meterRegistry()),
                      System::nanoTime));
              return Future.fromCompletionStage(local.prepare())
                  .map(v -> (SessionHandlerFactory) recording);
            });
  }

  @Override
  public boolean ready() {
    if (stock != null) {
      return stock.ready();
    }
    return store != null && !stopped;
  }

  @Override
  public Future<Void> stop() {
    if (stock != null) {
      return stock.stop();
    }
    stopped = true;
    MailboxStore opened = store;
    if (opened == null) {
      return Future.succeededFuture();
    }
    Future<Void> released =
        local == null
            ? Future.succeededFuture()
            : Future.fromCompletionStage(local.release()).recover(e -> Future.succeededFuture());
    return released
        .compose(
            v ->
                vertx.<Void>executeBlocking(
                    () -> {
                      opened.close();
                      log.close();
                      return null;
                    }))
        .andThen(
            ar -> {
              if (keyWorkers != null) {
                keyWorkers.close();
              }
            });
  }
}
