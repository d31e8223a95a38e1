package org.sealpost.benchmarks.peers;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.sealpost.benchmarks.load.DeliveryListener;
import org.sealpost.benchmarks.load.PeerDescription;
import org.sealpost.benchmarks.load.PeerDriver;
import org.sealpost.benchmarks.load.PeerSender;
import org.sealpost.benchmarks.load.RecipientSession;

/**
 * NATS JetStream through jnats: one work-queue stream with file storage, subject {@code
 * bench.r.<i>} and durable push consumer {@code r<i>} (explicit ack) per recipient. A sender
 * connection publishes asynchronously; "accepted" is the stream's PubAck. A recipient connection
 * subscribes to its consumer's deliver subject and acks each message after the listener returns.
 */
public final class NatsJetStreamDriver implements PeerDriver {
  static final String STREAM = "BENCH";
  private static final byte[] ACK = "+ACK".getBytes(StandardCharsets.US_ASCII);

  private final String url;
  private final PeerDescription description;

  public NatsJetStreamDriver(String url, PeerDescription description) {
    this.url = url;
    this.description = description;
  }

  @Override
  public PeerDescription description() {
    return description;
  }

  private Connection connect(String name) throws Exception {
    Options options =
        new Options.Builder()
            .server(url)
            .connectionName(name)
            .connectionTimeout(Duration.ofSeconds(10))
            .maxReconnects(0)
            // an ack racing the close of a recipient connection is expected, not worth a log line
            .errorListener(new ErrorListener() {})
            .build();
    return Nats.connect(options);
  }

  @Override
  public void prepareQueues(int recipients) throws Exception {
    Connection admin = connect("admin");
    try {
      JetStreamManagement jsm = admin.jetStreamManagement();
      jsm.addStream(
          StreamConfiguration.builder()
              .name(STREAM)
              .subjects("bench.r.*")
              .retentionPolicy(RetentionPolicy.WorkQueue)
              .storageType(StorageType.File)
              .replicas(1)
              .build());
      // one request per consumer; a few in flight at once, since each waits on the server's disk
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int r = 0; r < recipients; r++) {
          int recipient = r;
          done.add(
              pool.submit(
                  () ->
                      jsm.addOrUpdateConsumer(
                          STREAM,
                          ConsumerConfiguration.builder()
                              .durable("r" + recipient)
                              .filterSubject("bench.r." + recipient)
                              .deliverSubject("deliver.r." + recipient)
                              .deliverPolicy(DeliverPolicy.All)
                              .ackPolicy(AckPolicy.Explicit)
                              .build())));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
    } finally {
      closeConnection(admin);
    }
  }

  @Override
  public PeerSender openSender(int index) throws Exception {
    Connection c = connect("sender");
    JetStream js = c.jetStream();
    return new PeerSender() {
      @Override
      public CompletableFuture<Void> send(int recipient, byte[] content) {
        return js.publishAsync("bench.r." + recipient, content).thenApply(ack -> null);
      }

      @Override
      public void close() {
        closeConnection(c);
      }
    };
  }

  @Override
  public RecipientSession openRecipient(int recipient, DeliveryListener listener) throws Exception {
    Connection c = connect("recipient");
    Dispatcher d =
        c.createDispatcher(
            msg -> {
              listener.onDelivery(recipient, msg.getData());
              c.publish(msg.getReplyTo(), ACK);
            });
    d.subscribe("deliver.r." + recipient);
    c.flush(Duration.ofSeconds(10));
    return () -> closeConnection(c);
  }

  private static void closeConnection(Connection c) {
    try {
      c.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {}
}
