package org.sealpost.proto.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which DNS servers Sealpost's resolvers ask: never Netty's fallback of Google Public DNS. */
class SystemResolverTest {
  @TempDir Path tmp;

  @Test
  void theMachinesServersAreLeftToTheResolverToRead() throws Exception {
    Path conf =
        Files.writeString(
            tmp.resolve("resolv.conf"), "# from DHCP\nsearch example.org\n  nameserver 10.0.0.2\n");
    assertThat(SystemResolver.serversInsteadOfFallback(conf, "127.0.0.1")).isEmpty();
  }

  @Test
  void noConfiguredServerMeansTheLocalMachineAsForTheCLibrary() throws Exception {
    assertThat(SystemResolver.serversInsteadOfFallback(tmp.resolve("missing"), "127.0.0.1"))
        .containsExactly("127.0.0.1");
    Path commented =
        Files.writeString(
            tmp.resolve("resolv.conf"),
            "# nameserver 8.8.8.8\nsearch example.org\noptions ndots:2\n");
    assertThat(SystemResolver.serversInsteadOfFallback(commented, "127.0.0.1"))
        .containsExactly("127.0.0.1");
    Path empty = Files.writeString(tmp.resolve("empty.conf"), "");
    assertThat(SystemResolver.serversInsteadOfFallback(empty, "127.0.0.1"))
        .containsExactly("127.0.0.1");
  }
}
