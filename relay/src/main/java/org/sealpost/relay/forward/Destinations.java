package org.sealpost.relay.forward;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;
import org.sealpost.proto.address.RelayAddress;

/**
 * Which destinations a relay refuses to connect to for its clients, decided without DNS: a Tor
 * onion service (this relay has no Tor), and unless allowed, loopback, private, link-local and
 * wildcard IP literals and {@code localhost}, so that {@code Forward} cannot probe the operator's
 * own network. A DNS name that resolves to such an address is not caught (docs/operations.md says
 * so); the Noise handshake still has to succeed before anything is sent.
 */
public final class Destinations {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private Destinations() {}

  /** Whether a Forward to {@code address} is refused with {@code FORWARD} before any connection. */
  public static boolean refused(RelayAddress address, boolean privateAllowed) {
    if (address.isOnion()) {
      return true;
    }
    return !privateAllowed && isPrivate(address.host());
  }

  static boolean isPrivate(String host) {
    if (host.equals("localhost") || host.endsWith(".localhost")) {
      return true;
    }
    if (!IPV4.matcher(host).matches() && host.indexOf(':') < 0) {
      return false; // a DNS name: not resolved here
    }
    InetAddress ip;
    try {
      ip = InetAddress.getByName(host); // a literal: parsed, no lookup
    } catch (UnknownHostException e) {
      return true;
    }
    byte[] b = ip.getAddress();
    boolean uniqueLocalV6 = b.length == 16 && (b[0] & 0xFE) == 0xFC;
    boolean carrierGradeNat = b.length == 4 && (b[0] & 0xFF) == 100 && (b[1] & 0xC0) == 64;
    return ip.isLoopbackAddress()
        || ip.isSiteLocalAddress()
        || ip.isLinkLocalAddress()
        || ip.isAnyLocalAddress()
        || ip.isMulticastAddress()
        || uniqueLocalV6
        || carrierGradeNat;
  }
}
