package org.sealpost.relay.audit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Looks for secrets in artifacts, byte for byte. Every secret is searched in each encoding a log
 * line, a metric tag or a file could carry it in: hex (lower and upper case), base64 and base64url
 * (with and without padding), the same for its first 8 bytes (a truncated ID), and the raw bytes.
 * Texts (client addresses, plaintext) are searched as their ASCII/UTF-8 bytes.
 */
public final class LeakScanner {
  /** One searched byte sequence: what it is and how it is encoded. */
  public record Needle(String secret, String encoding, byte[] bytes, boolean raw) {}

  /**
   * One artifact to scan; {@code store} marks RocksDB's table, blob and write-ahead-log files: the
   * encrypted store itself, whose raw bytes are not searched ({@link #scan}).
   */
  public record Artifact(String name, byte[] content, boolean store) {
    /** Text the operator can read (output, {@code /metrics}), searched fully. */
    public static Artifact text(String name, String text) {
      return new Artifact(name, text.getBytes(StandardCharsets.UTF_8), false);
    }

    /**
     * Every regular file below {@code dir}, named by its path relative to {@code base}; with {@code
     * storeAware}, RocksDB's table, blob and WAL files are marked as store content.
     */
    public static List<Artifact> files(Path base, Path dir, boolean storeAware) throws IOException {
      List<Artifact> out = new ArrayList<>();
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          out.add(
              new Artifact(
                  base.relativize(f).toString(),
                  Files.readAllBytes(f),
                  storeAware && isStoreContent(f)));
        }
      }
      return out;
    }

    /** RocksDB's table ({@code .sst}), blob and write-ahead-log ({@code NNNNNN.log}) files. */
    public static boolean isStoreContent(Path f) {
      String name = f.getFileName().toString();
      return name.endsWith(".sst") || name.endsWith(".blob") || name.matches("\\d+\\.log");
    }
  }

  public record Finding(
      String artifact, String secret, String encoding, int offset, String context) {
    @Override
    public String toString() {
      return secret + " (" + encoding + ") in " + artifact + " at byte " + offset + ": " + context;
    }
  }

  private final List<Needle> needles = new ArrayList<>();

  /** A binary secret (ID, key, token) in every encoding. */
  public LeakScanner secret(String name, byte[] value) {
    for (Map.Entry<String, String> e : encodings(value).entrySet()) {
      needles.add(new Needle(name, e.getKey(), ascii(e.getValue()), false));
    }
    if (value.length > 8) {
      byte[] prefix = java.util.Arrays.copyOf(value, 8);
      needles.add(new Needle(name, "hex of first 8 bytes", ascii(hex(prefix)), false));
      needles.add(
          new Needle(name, "HEX of first 8 bytes", ascii(hex(prefix).toUpperCase()), false));
    }
    needles.add(new Needle(name, "raw bytes", value.clone(), true));
    return this;
  }

  /** A text (a client address, plaintext) as its UTF-8 bytes, searched everywhere. */
  public LeakScanner text(String name, String value) {
    needles.add(new Needle(name, "text", value.getBytes(StandardCharsets.UTF_8), false));
    return this;
  }

  /**
   * Bytes that may turn up by chance in large binary files (an IPv4 address is 4 bytes): searched
   * only outside the store's SST/WAL files.
   */
  public LeakScanner rawOutsideStore(String name, byte[] value) {
    needles.add(new Needle(name, "raw bytes", value.clone(), true));
    return this;
  }

  /** A client's IP address: as text everywhere, as its raw bytes outside the store. */
  public LeakScanner address(String name, String ip) throws UnknownHostException {
    return text(name, ip).rawOutsideStore(name, InetAddress.getByName(ip).getAddress());
  }

  /**
   * Every needle in every artifact. Inside the store (SST/WAL: the queue records and envelopes,
   * encrypted at rest per DESIGN §3) raw bytes are not searched: binary IDs are the store's keys by
   * design; their text encodings, addresses and plaintext must not be there either.
   */
  public List<Finding> scan(List<Artifact> artifacts) {
    FirstOccurrences index = new FirstOccurrences(needles.stream().map(Needle::bytes).toList());
    List<Finding> found = new ArrayList<>();
    for (Artifact a : artifacts) {
      int[] first = index.in(a.content());
      for (int k = 0; k < needles.size(); k++) {
        Needle n = needles.get(k);
        int at = first[k];
        if (at >= 0 && !(a.store() && n.raw())) {
          found.add(new Finding(a.name(), n.secret(), n.encoding(), at, context(a.content(), at)));
        }
      }
    }
    return found;
  }

  /** What a scan of {@code artifacts} covers, in counts: for a test's output. */
  public String coverage(List<Artifact> artifacts) {
    return needles.size()
        + " needles, "
        + artifacts.size()
        + " artifacts ("
        + artifacts.stream().filter(Artifact::store).count()
        + " SST/blob/WAL), "
        + artifacts.stream().mapToLong(a -> a.content().length).sum()
        + " bytes";
  }

  public static Map<String, String> encodings(byte[] value) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("hex", hex(value));
    m.put("HEX", hex(value).toUpperCase());
    m.put("base64", Base64.getEncoder().encodeToString(value));
    m.put("base64 unpadded", Base64.getEncoder().withoutPadding().encodeToString(value));
    m.put("base64url", Base64.getUrlEncoder().encodeToString(value));
    m.put("base64url unpadded", Base64.getUrlEncoder().withoutPadding().encodeToString(value));
    return m;
  }

  public static String hex(byte[] value) {
    return HexFormat.of().formatHex(value);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** The printable surroundings of a finding (its line, at most 300 characters). */
  private static String context(byte[] content, int at) {
    int from = Math.max(0, at - 150);
    int to = Math.min(content.length, at + 150);
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      int c = content[i] & 0xFF;
      sb.append(c >= 0x20 && c < 0x7F ? (char) c : '.');
    }
    return sb.toString();
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
