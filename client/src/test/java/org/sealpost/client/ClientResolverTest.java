package org.sealpost.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client's own Vert.x resolves relay names with the machine's servers, never Google's. */
class ClientResolverTest {
  @TempDir Path tmp;

  @Test
  void theLocalServerWhereTheMachineNamesNone() throws Exception {
    assertThat(SealpostClient.resolverOptions(tmp.resolve("missing"), "127.0.0.1").getServers())
        .containsExactly("127.0.0.1");
    Path conf = Files.writeString(tmp.resolve("resolv.conf"), "nameserver 192.0.2.53\n");
    assertThat(SealpostClient.resolverOptions(conf, "127.0.0.1").getServers()).isNullOrEmpty();
  }
}
