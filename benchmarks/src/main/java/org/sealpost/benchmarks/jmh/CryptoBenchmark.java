package org.sealpost.benchmarks.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.sealpost.proto.crypto.CommandMac;
import org.sealpost.proto.crypto.CryptoException;
import org.sealpost.proto.crypto.DeliveryCipher;
import org.sealpost.proto.crypto.ForwardSeal;
import org.sealpost.proto.crypto.MessageIds;
import org.sealpost.proto.crypto.QueueKeys;
import org.sealpost.proto.crypto.RandomSource;
import org.sealpost.proto.crypto.SealedEnvelope;
import org.sealpost.proto.crypto.X25519KeyPair;

/**
 * The protocol's own constructions (protocol.md §5–§7) at the default envelope size E = 15847: the
 * per-command MAC a relay checks on every recipient command (and the same check for a queue that
 * does not exist, which must cost the same), delivery encryption of one pushed envelope, the
 * client's sealed-envelope seal and open, the queue-key derivation of CreateQueue and the
 * destination relay's opening of a forwarded request.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar CryptoBenchmark -f 1 -wi 3 -i 5 -w 2s
 * -r 2s}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CryptoBenchmark {
  private final RandomSource random = RandomSource.secure();
  private final SealedEnvelope sealer = new SealedEnvelope(SealedEnvelope.DEFAULT_SIZE);
  private final DeliveryCipher delivery = new DeliveryCipher(SealedEnvelope.DEFAULT_SIZE);

  private byte[] macKey;
  private byte[] handshakeHash;
  private byte[] recipientId;
  private byte[] subscribeOp;
  private byte[] mac;
  private byte[] deliveryKey;
  private byte[] messageId;
  private byte[] pushId;
  private long pushes;
  private byte[] envelope;
  private byte[] delivered;
  private byte[] content;
  private X25519KeyPair sender;
  private X25519KeyPair recipient;
  private X25519KeyPair queueKeyPair;
  private byte[] recipientQueuePublic;
  private final ForwardSeal forward = new ForwardSeal(SealedEnvelope.DEFAULT_SIZE);
  private X25519KeyPair relayStatic;
  private byte[] forwardRequest;

  @Setup
  public void setUp() throws CryptoException {
    macKey = random.bytes(32);
    handshakeHash = random.bytes(32);
    recipientId = random.bytes(32);
    subscribeOp = random.bytes(10); // about the size of a serialized Subscribe RecipientOp
    mac = CommandMac.compute(macKey, handshakeHash, recipientId, subscribeOp);
    deliveryKey = random.bytes(32);
    messageId = MessageIds.random(random);
    pushId = messageId.clone();
    sender = X25519KeyPair.generate(random);
    recipient = X25519KeyPair.generate(random);
    content = random.bytes(1000);
    envelope = sealer.seal(sender, recipient.publicKey(), content, random);
    delivered = delivery.encrypt(deliveryKey, messageId, recipientId, envelope);
    queueKeyPair = X25519KeyPair.generate(random);
    recipientQueuePublic = X25519KeyPair.generate(random).publicKey();
    relayStatic = X25519KeyPair.generate(random);
    forwardRequest =
        forward
            .seal(relayStatic.publicKey(), envelope, java.time.Clock.systemUTC(), random)
            .bytes();
  }

  /** Client computes, relay verifies: one recipient command (Subscribe) end to end. */
  @Benchmark
  public boolean commandMacComputeAndVerify() {
    byte[] m = CommandMac.compute(macKey, handshakeHash, recipientId, subscribeOp);
    return CommandMac.verify(macKey, handshakeHash, recipientId, subscribeOp, m);
  }

  /** The relay's check alone, for an existing queue. */
  @Benchmark
  public boolean commandMacVerify() {
    return CommandMac.verify(macKey, handshakeHash, recipientId, subscribeOp, mac);
  }

  /**
   * The relay's check for an unknown recipient ID: must cost what {@link #commandMacVerify} does.
   */
  @Benchmark
  public boolean commandMacVerifyUnknownQueue() {
    return CommandMac.verify(null, handshakeHash, recipientId, subscribeOp, mac);
  }

  /** Relay: encrypt one E-byte envelope for its recipient. */
  @Benchmark
  public byte[] deliveryEncrypt() {
    return delivery.encrypt(deliveryKey, messageId, recipientId, envelope);
  }

  /**
   * Relay: the same with a new message ID each time, as consecutive pushes have (the benchmark
   * above repeats one ID: a redelivery, which the JDK makes take a fresh cipher).
   */
  @Benchmark
  public byte[] deliveryEncryptNextPush() {
    long n = ++pushes;
    for (int i = 0; i < 8; i++) {
      pushId[i] = (byte) (n >>> (8 * i));
    }
    return delivery.encrypt(deliveryKey, pushId, recipientId, envelope);
  }

  /** Recipient: decrypt one pushed envelope. */
  @Benchmark
  public byte[] deliveryDecrypt() throws CryptoException {
    return delivery.decrypt(deliveryKey, messageId, recipientId, delivered);
  }

  /** Sender: seal 1000 bytes of content into an E-byte envelope (two X25519, four HKDF). */
  @Benchmark
  public byte[] envelopeSeal() throws CryptoException {
    return sealer.seal(sender, recipient.publicKey(), content, random);
  }

  /** Recipient: open an E-byte envelope. */
  @Benchmark
  public SealedEnvelope.Opened envelopeOpen() throws CryptoException {
    return sealer.open(recipient, envelope);
  }

  /** Relay, per CreateQueue: X25519 with the recipient's key and HKDF to two keys. */
  @Benchmark
  public QueueKeys queueKeysDerive() throws CryptoException {
    return QueueKeys.deriveForRelay(queueKeyPair, recipientQueuePublic);
  }

  /** Destination relay, per forwarded request: X25519, HKDF, open E + 176 bytes. */
  @Benchmark
  public ForwardSeal.OpenedRequest forwardOpen() throws CryptoException {
    return forward.open(relayStatic, forwardRequest);
  }
}
