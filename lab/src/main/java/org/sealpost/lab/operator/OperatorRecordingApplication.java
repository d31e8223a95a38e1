package org.sealpost.lab.operator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.sealpost.relay.RelayApplication;
import org.sealpost.relay.RelayEnvironment;
import org.sealpost.relay.protocol.Instrumentation;
import org.sealpost.relay.protocol.ProtocolApplication;
import org.sealpost.relay.queue.QueueService;
import org.sealpost.relay.transport.SessionHandlerFactory;

/**
 * The lab's relay application: the relay's own {@link ProtocolApplication}, wired exactly as the
 * configuration says (timing defences, forwarding, budgets), with its command path wrapped by
 * {@link RecordingQueueService} and its session factory by {@link RecordingSessionHandlerFactory}
 * through {@link Instrumentation}, so the lab sees what a curious operator sees. It lives only on
 * the lab's class path (the lab jar goes first, so {@link java.util.ServiceLoader} finds it before
 * the relay's own); the shipped relay has no tap. Without the system property {@value
 * #LOG_PROPERTY} it records nothing and runs the relay's own application unwrapped ({@code run-lab
 * --no-operator-view}).
 */
public final class OperatorRecordingApplication implements RelayApplication {
  /** Where the operator's notes go (a file path, given by the lab on the java command line). */
  public static final String LOG_PROPERTY = "sealpost.lab.operator-log";

  private volatile ProtocolApplication delegate;
  private volatile OperatorLog log;
  private volatile Vertx vertx;

  @Override
  public Future<SessionHandlerFactory> start(RelayEnvironment environment) {
    vertx = environment.vertx();
    String logPath = System.getProperty(LOG_PROPERTY);
    if (logPath == null || logPath.isBlank()) {
      delegate = new ProtocolApplication();
      return delegate.start(environment);
    }
    return environment
        .vertx()
        .executeBlocking(() -> new OperatorLog(Path.of(logPath)))
        .compose(
            opened -> {
              log = opened;
              RecordingSessionHandlerFactory recording = new RecordingSessionHandlerFactory(opened);
              delegate =
                  new ProtocolApplication(
                      UnaryOperator.identity(),
                      new Instrumentation() {
                        @Override
                        public QueueService wrapQueues(QueueService queues) {
                          return new RecordingQueueService(
                              queues, opened, recording::currentConnection);
                        }

                        @Override
                        public SessionHandlerFactory wrapFactory(SessionHandlerFactory factory) {
                          recording.delegateTo(factory);
                          return recording;
                        }
                      });
              return delegate.start(environment);
            });
  }

  @Override
  public java.util.Optional<org.sealpost.mailbox.MailboxStore> store() {
    ProtocolApplication app = delegate;
    return app == null ? java.util.Optional.empty() : app.store();
  }

  @Override
  public boolean ready() {
    ProtocolApplication app = delegate;
    return app != null && app.ready();
  }

  @Override
  public Future<Void> stop() {
    ProtocolApplication app = delegate;
    Future<Void> stopped = app == null ? Future.succeededFuture() : app.stop();
    OperatorLog opened = log;
    Vertx owner = vertx;
    if (opened == null) {
      return stopped;
    }
    // after the relay's own stop: no session can record anything any more
    return stopped.eventually(
        () ->
            owner.executeBlocking(
                () -> {
                  opened.close();
                  return null;
                }));
  }
}
