package org.sealpost.cli;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/** Ports and settings for tests that restart an embedded relay on the same address. */
final class TestRelays {
  private TestRelays() {}

  /** A port that was free a moment ago, so that a restarted relay keeps its address. */
  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** {@code base} with {@code listen.port} set. */
  static Map<String, String> at(Map<String, String> base, int port) {
    Map<String, String> all = new HashMap<>(base);
    all.put("listen.port", Integer.toString(port));
    return all;
  }
}
