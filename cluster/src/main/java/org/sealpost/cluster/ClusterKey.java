package org.sealpost.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The cluster key the operator provisions on every node: one PEM certificate and its private key
 * (e.g. made once with {@code openssl req -x509}). The event bus between nodes runs TLS with it on
 * both sides and trusts nothing else (mutual authentication); the shard tag key and the Hazelcast
 * cluster name are derived from the private key, so a node without it cannot read shard tags nor
 * find the cluster.
 *
 * @param certificate the PEM certificate
 * @param privateKey the PEM private key
 */
public record ClusterKey(Path certificate, Path privateKey) {
  private byte[] derive(String label) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(label.getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) 0);
      sha.update(Files.readAllBytes(privateKey));
      return sha.digest();
    } catch (IOException e) {
      throw new UncheckedIOException("cluster key " + privateKey, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The 32-byte key of the shard tags ({@link ShardTag}). */
  public byte[] tagKey() {
    return derive("sealpost shard tag");
  }

  /** The Hazelcast cluster name: a node without the key joins no cluster of ours. */
  public String clusterName() {
    return "sealpost-" + HexFormat.of().formatHex(derive("sealpost hazelcast cluster"), 0, 12);
  }
}
