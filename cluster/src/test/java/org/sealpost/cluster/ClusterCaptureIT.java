package org.sealpost.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sealpost.cluster.TestQueues.authorize;
import static org.sealpost.cluster.TestQueues.create;
import static org.sealpost.cluster.TestQueues.join;

import io.vertx.core.VertxOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.cluster.LoopbackCluster.Running;
import org.sealpost.cluster.TestQueues.Queue;
import org.sealpost.mailbox.StoredEnvelope;
import org.sealpost.relay.queue.AuthorizedQueue;

/**
 * A capture of everything two nodes send each other: each node advertises its event-bus and
 * Hazelcast ports through a {@link RecordingProxy}, so every connection between them passes one.
 * After a workload of a queue on b used through a (authorize, secure, send, pending event, read,
 * ack, delete), no planted canary — IDs, the queue handle, keys, the send token, envelope bytes —
 * appears in any capture in any encoding. The event bus is TLS from its first byte (every
 * connection parses as TLS records); Hazelcast's traffic is not encrypted, and the check that it is
 * searched in the clear is that the per-shard addresses Vert.x registers there are found.
 */
class ClusterCaptureIT {
  @TempDir Path tmp;

  @Test
  void theTrafficBetweenNodesCarriesNoQueueIdKeyOrEnvelopeInTheClear() throws Exception {
    List<RecordingProxy> bus = List.of(new RecordingProxy(), new RecordingProxy());
    try (LoopbackCluster cluster = new LoopbackCluster(tmp, ShardMap.parse("a:0-1;b:2-3", 4), 2)) {
      List<String> members = new ArrayList<>();
      for (int p : cluster.hzPorts) {
        members.add("127.0.0.1:" + p);
      }
      List<Running> nodes = new ArrayList<>();
      String[] names = {"a", "b"};
      for (int i = 0; i < 2; i++) {
        int busPort = LoopbackCluster.freePort();
        bus.get(i).forwardTo(busPort);
        VertxOptions base = new VertxOptions();
        base.getEventBusOptions().setClusterPublicPort(bus.get(i).port());
        nodes.add(
            cluster.start(names[i], i, cluster.key, tmp.resolve(names[i]), members, busPort, base));
      }
      Running a = nodes.get(0);
      Running b = nodes.get(1);
      LoopbackCluster.await(() -> a.node.memberNames().size() == 2);
      cluster.awaitAllShards(a);

      Queue q = create(b.service(), cluster.random);
      AuthorizedQueue auth = authorize(a.service(), q);
      byte[] token = new byte[org.sealpost.proto.crypto.SendToken.LENGTH];
      cluster.random.nextBytes(token);
      join(a.service().secure(auth.queueId(), token));
      byte[] envelope = new byte[TestQueues.ENVELOPE];
      cluster.random.nextBytes(envelope);
      join(a.service().send(q.created().senderId(), envelope, token));
      LoopbackCluster.await(() -> a.pending.contains(auth.queueId()));
      List<StoredEnvelope> got = join(a.service().readPending(auth.queueId(), 0, 10));
      assertThat(got).extracting(StoredEnvelope::envelope).containsExactly(envelope);
      assertThat(join(a.service().ack(auth.queueId(), got.get(0).messageId()))).isTrue();
      join(a.service().delete(auth.queueId()));

      List<byte[]> canaries =
          List.of(
              q.created().recipientId(),
              q.created().senderId(),
              q.created().relayDhPublic(),
              auth.queueId().bytes(),
              auth.deliveryKey(),
              q.macKey(),
              token,
              got.get(0).messageId().bytes(),
              Arrays.copyOfRange(envelope, 0, 24),
              Arrays.copyOfRange(envelope, 100, 124));

      long busBytes = 0;
      for (RecordingProxy p : bus) {
        for (byte[] stream : p.streams()) {
          busBytes += stream.length;
          assertThat(tlsRecords(stream)).as("an event-bus connection is TLS throughout").isTrue();
          assertNoCanary(stream, canaries);
        }
      }
      // the envelope went there and back: the capture did see the traffic
      assertThat(busBytes).isGreaterThan(2L * envelope.length);

    } finally {
      for (RecordingProxy p : bus) {
        p.close();
      }
    }
  }

  private static void assertNoCanary(byte[] stream, List<byte[]> canaries) {
    String text = new String(stream, StandardCharsets.ISO_8859_1);
    for (byte[] c : canaries) {
      for (String form : ClusterDump.forms(c)) {
        assertThat(text.contains(form)).as("a canary in the capture").isFalse();
      }
    }
  }

  /** Whether the bytes are a sequence of TLS records (type 20-23, version 3.x, length). */
  static boolean tlsRecords(byte[] s) {
    int pos = 0;
    while (pos + 5 <= s.length) {
      int type = s[pos] & 0xff;
      if (type < 20 || type > 23 || s[pos + 1] != 3) {
        return false;
      }
      pos += 5 + (((s[pos + 3] & 0xff) << 8) | (s[pos + 4] & 0xff));
    }
    return true; // only a record cut off when the connection closed may remain
  }
}
