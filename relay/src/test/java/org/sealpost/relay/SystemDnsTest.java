package org.sealpost.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay's resolver, where the machine names no DNS server: the local one, not Google's. */
class SystemDnsTest {
  @TempDir Path tmp;

  @Test
  void withoutAServerTheQueryForAForwardDestinationGoesToTheLocalOne() throws Exception {
    try (DatagramSocket local = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      local.setSoTimeout(10_000);
      Vertx vertx =
          Vertx.vertx(
              new VertxOptions()
                  .setAddressResolverOptions(
                      SystemDns.options(
                          tmp.resolve("missing"), "127.0.0.1:" + local.getLocalPort())));
      try {
        // what a Forward to a named relay does first: a connection to a name
        vertx.createNetClient().connect(443, "next-hop.example");
        DatagramPacket query = new DatagramPacket(new byte[512], 512);
        local.receive(query);
        String asked =
            new String(query.getData(), 0, query.getLength(), StandardCharsets.ISO_8859_1);
        assertThat(asked).contains("next-hop").contains("example");
      } finally {
        vertx.close().await(10, TimeUnit.SECONDS);
      }
    }
  }
}
