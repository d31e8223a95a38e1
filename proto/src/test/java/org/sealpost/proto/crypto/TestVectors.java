package org.sealpost.proto.crypto;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.sealpost.proto.testing.Json;

/**
 * Builds the JSON test vectors of docs/test-vectors/ from fixed inputs with the production code.
 * {@link TestVectorsTest} checks that the committed files are exactly what this produces; {@code
 * vectors-noble.mjs} re-derives them independently. Run {@link #main} to rewrite the files after a
 * deliberate change.
 */
final class TestVectors {
  static final int VECTOR_ENVELOPE_SIZE = 512;
  static final List<String> FILES =
      List.of("queue-keys", "command-mac", "delivery", "envelope", "forward", "address-change");

  private TestVectors() {}

  static Path directory() {
    return Path.of("..", "docs", "test-vectors");
  }

  static String generate(String name) throws CryptoException {
    Object tree =
        switch (name) {
          case "queue-keys" -> queueKeys();
          case "command-mac" -> commandMac();
          case "delivery" -> delivery();
          case "envelope" -> envelope();
          case "forward" -> forward();
          case "address-change" -> addressChange();
          default -> throw new IllegalArgumentException(name);
        };
    return Json.write(tree);
  }

  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : directory();
    Files.createDirectories(dir);
    for (String name : FILES) {
      Files.writeString(dir.resolve(name + ".json"), generate(name), StandardCharsets.UTF_8);
    }
  }

  /** Deterministic "random" bytes: SHA-256("sealpost/1 test vector " ‖ label ‖ counter) blocks. */
  static byte[] seed(String label, int length) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] out = new byte[length];
      for (int off = 0, i = 0; off < length; i++) {
        sha.update(("sealpost/1 test vector " + label + " " + i).getBytes(StandardCharsets.UTF_8));
        byte[] block = sha.digest();
        System.arraycopy(block, 0, out, off, Math.min(32, length - off));
        off += 32;
      }
      return out;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] unhex(String s) {
    return HexFormat.of().parseHex(s);
  }

  private static String hex(byte[] b) {
    return Json.hex(b);
  }

  // ---------------------------------------------------------------- §5 queue keys

  static Map<String, Object> queueKeys() throws CryptoException {
    List<Object> vectors = new ArrayList<>();
    vectors.add(
        queueKeyVector("seeded keys", seed("queue-keys 1 q", 32), seed("queue-keys 1 r_q", 32)));
    vectors.add(
        queueKeyVector(
            "RFC 7748 section 6.1 keys: relay q = Alice, recipient r_q = Bob",
            unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"),
            unhex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb")));
    List<Object> invalid = new ArrayList<>();
    byte[] q = seed("queue-keys 1 q", 32);
    for (String[] bad :
        new String[][] {
          {"u = 0 (order 2 point)", "00".repeat(32)},
          {"u = 1 (order 4 point)", "01" + "00".repeat(31)},
          {"order 8 point", "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"},
          {"31 bytes", "09" + "00".repeat(30)}
        }) {
      Map<String, Object> v = Json.object();
      v.put("description", "recipient public key: " + bad[0]);
      v.put("relay_queue_private", hex(q));
      v.put("recipient_public", bad[1]);
      v.put("error", "INVALID_PUBLIC_KEY");
      invalid.add(v);
    }
    Map<String, Object> root = Json.object();
    root.put("construction", "protocol.md section 5: queue keys");
    root.put(
        "notes",
        "ss = X25519(q, R_q) = X25519(r_q, Q); okm = HKDF-SHA256(salt = empty, ikm = ss, info ="
            + " 'sealpost/1 queue' || Q || R_q, L = 64); delivery_key = okm[0..32], mac_key ="
            + " okm[32..64]. Invalid vectors: the relay MUST reject R_q with INVALID_PUBLIC_KEY.");
    root.put("vectors", vectors);
    root.put("invalid", invalid);
    return root;
  }

  private static Map<String, Object> queueKeyVector(String description, byte[] qPriv, byte[] rPriv)
      throws CryptoException {
    X25519KeyPair q = X25519KeyPair.fromPrivateKey(qPriv);
    X25519KeyPair r = X25519KeyPair.fromPrivateKey(rPriv);
    QueueKeys relay = QueueKeys.deriveForRelay(q, r.publicKey());
    QueueKeys recipient = QueueKeys.deriveForRecipient(r, q.publicKey());
    if (!Arrays.equals(relay.toBytes(), recipient.toBytes())) {
      throw new AssertionError("relay and recipient derive different queue keys");
    }
    Map<String, Object> v = Json.object();
    v.put("description", description);
    v.put("relay_queue_private", hex(qPriv));
    v.put("relay_queue_public", hex(q.publicKey()));
    v.put("recipient_private", hex(rPriv));
    v.put("recipient_public", hex(r.publicKey()));
    v.put("shared_secret", hex(q.agree(r.publicKey())));
    v.put(
        "hkdf_info",
        hex(Bytes.concat(Bytes.ascii("sealpost/1 queue"), q.publicKey(), r.publicKey())));
    v.put("delivery_key", hex(relay.deliveryKey()));
    v.put("mac_key", hex(relay.macKey()));
    return v;
  }

  // ---------------------------------------------------------------- §5 command MAC

  static Map<String, Object> commandMac() {
    List<Object> vectors = new ArrayList<>();
    vectors.add(macVector("a 10-byte command", seed("command-mac 1 op", 10), "1"));
    vectors.add(macVector("an empty command", new byte[0], "2"));
    vectors.add(macVector("a 300-byte command", seed("command-mac 3 op", 300), "3"));
    Map<String, Object> root = Json.object();
    root.put("construction", "protocol.md section 5: recipient command MAC");
    root.put(
        "notes",
        "mac = HMAC-SHA256(mac_key, h || recipient_id || command); h is the 32-byte Noise"
            + " handshake hash, recipient_id 32 bytes, command the exact serialized RecipientOp"
            + " bytes (opaque here).");
    root.put("vectors", vectors);
    return root;
  }

  private static Map<String, Object> macVector(String description, byte[] command, String n) {
    byte[] key = seed("command-mac " + n + " mac_key", 32);
    byte[] h = seed("command-mac " + n + " h", 32);
    byte[] rid = seed("command-mac " + n + " recipient_id", 32);
    Map<String, Object> v = Json.object();
    v.put("description", description);
    v.put("mac_key", hex(key));
    v.put("handshake_hash", hex(h));
    v.put("recipient_id", hex(rid));
    v.put("command", hex(command));
    v.put("mac", hex(CommandMac.compute(key, h, rid, command)));
    return v;
  }

  // ---------------------------------------------------------------- §6 delivery

  static Map<String, Object> delivery() {
    DeliveryCipher cipher = new DeliveryCipher(VECTOR_ENVELOPE_SIZE);
    byte[] key = seed("delivery 1 delivery_key", 32);
    byte[] id = seed("delivery 1 message_id", 12);
    byte[] rid = seed("delivery 1 recipient_id", 32);
    byte[] envelope = seed("delivery 1 envelope", VECTOR_ENVELOPE_SIZE);
    byte[] ct = cipher.encrypt(key, id, rid, envelope);
    Map<String, Object> v = Json.object();
    v.put("description", "one push; the envelope is opaque to delivery encryption");
    v.put("delivery_key", hex(key));
    v.put("message_id", hex(id));
    v.put("recipient_id", hex(rid));
    v.put("aad", hex(Bytes.concat(Bytes.ascii("sealpost/1 deliver"), rid)));
    v.put("envelope", hex(envelope));
    v.put("ciphertext", hex(ct));

    List<Object> invalid = new ArrayList<>();
    byte[] flipped = ct.clone();
    flipped[100] ^= 0x01;
    invalid.add(
        invalidCase(
            "ciphertext bit 0 of byte 100 flipped",
            "ciphertext",
            flipped,
            "AUTHENTICATION_FAILED"));
    invalid.add(
        invalidCase(
            "ciphertext one byte short",
            "ciphertext",
            Arrays.copyOf(ct, ct.length - 1),
            "WRONG_SIZE"));
    Map<String, Object> root = Json.object();
    root.put("construction", "protocol.md section 6: delivery encryption");
    root.put(
        "notes",
        "ciphertext = AES-256-GCM(key = delivery_key, nonce = message_id, aad = 'sealpost/1"
            + " deliver' || recipient_id, plaintext = envelope). envelope_size E is a parameter"
            + " (15847 by default); these vectors use E = 512. Invalid vectors reuse the keys and"
            + " IDs of vector 0.");
    root.put("envelope_size", VECTOR_ENVELOPE_SIZE);
    root.put("vectors", List.of(v));
    root.put("invalid", invalid);
    return root;
  }

  private static Map<String, Object> invalidCase(
      String description, String field, byte[] value, String error) {
    Map<String, Object> v = Json.object();
    v.put("description", description);
    v.put(field, hex(value));
    v.put("error", error);
    return v;
  }

  // ---------------------------------------------------------------- §7 sealed envelope

  static Map<String, Object> envelope() throws CryptoException {
    SealedEnvelope sealer = new SealedEnvelope(VECTOR_ENVELOPE_SIZE);
    List<Object> vectors = new ArrayList<>();
    byte[] first =
        envelopeVector(
            sealer,
            "1",
            "a short text",
            "Hello from Sealpost.".getBytes(StandardCharsets.US_ASCII),
            vectors);
    envelopeVector(sealer, "2", "empty content", new byte[0], vectors);
    envelopeVector(
        sealer,
        "3",
        "content at full capacity (E - 117 bytes)",
        seed("envelope 3 content", sealer.capacity()),
        vectors);

    // Invalid envelopes, all to the recipient of vector 1.
    X25519KeyPair recipient = X25519KeyPair.fromPrivateKey(seed("envelope 1 recipient", 32));
    X25519KeyPair sender = X25519KeyPair.fromPrivateKey(seed("envelope 1 sender", 32));
    X25519KeyPair ephemeral = X25519KeyPair.fromPrivateKey(seed("envelope 1 ephemeral", 32));
    List<Object> invalid = new ArrayList<>();
    byte[] c2Flip = first.clone();
    c2Flip[300] ^= 0x80;
    invalid.add(
        invalidCase("content ciphertext bit flipped", "envelope", c2Flip, "AUTHENTICATION_FAILED"));
    byte[] c1Flip = first.clone();
    c1Flip[40] ^= 0x01;
    invalid.add(
        invalidCase(
            "sender-key ciphertext bit flipped", "envelope", c1Flip, "AUTHENTICATION_FAILED"));
    byte[] version = first.clone();
    version[0] = 0x02;
    invalid.add(invalidCase("version byte 0x02", "envelope", version, "UNSUPPORTED_VERSION"));
    invalid.add(
        invalidCase(
            "one byte short", "envelope", Arrays.copyOf(first, first.length - 1), "WRONG_SIZE"));
    byte[] lowOrder = first.clone();
    Arrays.fill(lowOrder, 1, 33, (byte) 0);
    invalid.add(
        invalidCase("ephemeral key u = 0 (low order)", "envelope", lowOrder, "INVALID_PUBLIC_KEY"));
    int plainSize = VECTOR_ENVELOPE_SIZE - 97;
    byte[] badPadding = new byte[plainSize];
    System.arraycopy(seed("envelope 1 envelope_id", 16), 0, badPadding, 0, 16);
    Bytes.putInt(badPadding, 16, 3);
    badPadding[20] = 'a';
    badPadding[21] = 'b';
    badPadding[22] = 'c';
    badPadding[plainSize - 1] = 0x01;
    invalid.add(
        invalidCase(
            "authentic, but the last padding byte is 0x01",
            "envelope",
            sealer.sealPlaintext(sender, recipient.publicKey(), ephemeral, badPadding),
            "NON_ZERO_PADDING"));
    byte[] overLength = new byte[plainSize];
    Bytes.putInt(overLength, 16, sealer.capacity() + 1);
    invalid.add(
        invalidCase(
            "authentic, but content_length = capacity + 1",
            "envelope",
            sealer.sealPlaintext(sender, recipient.publicKey(), ephemeral, overLength),
            "MALFORMED"));

    Map<String, Object> root = Json.object();
    root.put("construction", "protocol.md section 7: sealed envelope");
    root.put(
        "notes",
        "E is a parameter (15847 by default); these vectors use E = 512, so capacity = E - 117 ="
            + " 395. Randomness is drawn in this order: ephemeral_private (32 bytes), then"
            + " envelope_id (16 bytes). Invalid vectors are opened with the recipient key of"
            + " vector 0.");
    root.put("envelope_size", VECTOR_ENVELOPE_SIZE);
    root.put("capacity", sealer.capacity());
    root.put("vectors", vectors);
    root.put("invalid", invalid);
    return root;
  }

  private static byte[] envelopeVector(
      SealedEnvelope sealer, String n, String description, byte[] content, List<Object> out)
      throws CryptoException {
    byte[] rPriv = seed("envelope " + n + " recipient", 32);
    byte[] sPriv = seed("envelope " + n + " sender", 32);
    byte[] ePriv = seed("envelope " + n + " ephemeral", 32);
    byte[] envelopeId = seed("envelope " + n + " envelope_id", 16);
    X25519KeyPair recipient = X25519KeyPair.fromPrivateKey(rPriv);
    X25519KeyPair sender = X25519KeyPair.fromPrivateKey(sPriv);
    X25519KeyPair ephemeral = X25519KeyPair.fromPrivateKey(ePriv);
    FixedRandom random = new FixedRandom(ePriv, envelopeId);
    byte[] envelope = sealer.seal(sender, recipient.publicKey(), content, random);
    if (!random.exhausted()) {
      throw new AssertionError("seal did not draw all scripted randomness");
    }

    // Intermediate values, computed step by step from the primitives for implementers.
    byte[] header = Bytes.concat(new byte[] {SealedEnvelope.VERSION}, ephemeral.publicKey());
    byte[] dh1 = ephemeral.agree(recipient.publicKey());
    byte[] okm1 =
        Hkdf.derive(
            new byte[0],
            dh1,
            Bytes.concat(
                Bytes.ascii("sealpost/1 envelope-ephemeral"), header, recipient.publicKey()),
            64);
    byte[] c1 = Arrays.copyOfRange(envelope, 33, 81);
    byte[] dh2 = sender.agree(recipient.publicKey());
    byte[] k2 =
        Hkdf.derive(
            new byte[0],
            Bytes.concat(Arrays.copyOfRange(okm1, 0, 32), dh2),
            Bytes.concat(
                Bytes.ascii("sealpost/1 envelope-static"), header, c1, recipient.publicKey()),
            32);

    Map<String, Object> v = Json.object();
    v.put("description", description);
    v.put("recipient_sealing_private", hex(rPriv));
    v.put("recipient_sealing_public", hex(recipient.publicKey()));
    v.put("sender_identity_private", hex(sPriv));
    v.put("sender_identity_public", hex(sender.publicKey()));
    v.put("ephemeral_private", hex(ePriv));
    v.put("ephemeral_public", hex(ephemeral.publicKey()));
    v.put("envelope_id", hex(envelopeId));
    v.put("content", hex(content));
    v.put("dh1", hex(dh1));
    v.put("chain", hex(Arrays.copyOfRange(okm1, 0, 32)));
    v.put("k1", hex(Arrays.copyOfRange(okm1, 32, 64)));
    v.put("c1", hex(c1));
    v.put("dh2", hex(dh2));
    v.put("k2", hex(k2));
    v.put("envelope", hex(envelope));
    out.add(v);
    return envelope;
  }

  // ---------------------------------------------------------------- §9 forward

  static final Instant FORWARD_NOW = Instant.parse("2026-11-23T10:00:30Z");

  static Map<String, Object> forward() throws CryptoException {
    ForwardSeal seal = new ForwardSeal(VECTOR_ENVELOPE_SIZE);
    List<Object> vectors = new ArrayList<>();
    SealedVector first =
        forwardVector(
            seal,
            "1",
            "a small inner frame and reply",
            seed("forward 1 inner_frame", 80),
            seed("forward 1 reply_frame", 12),
            vectors);
    forwardVector(
        seal,
        "2",
        "inner frame and reply at full capacity",
        seed("forward 2 inner_frame", seal.requestCapacity()),
        seed("forward 2 reply_frame", ForwardSeal.REPLY_CAPACITY),
        vectors);

    X25519KeyPair ephemeral = X25519KeyPair.fromPrivateKey(seed("forward 1 ephemeral", 32));
    byte[] relayPub = X25519KeyPair.fromPrivateKey(seed("forward 1 relay_static", 32)).publicKey();
    long minute = ForwardSeal.minutes(Clock.fixed(FORWARD_NOW, ZoneOffset.UTC));
    int innerSize = VECTOR_ENVELOPE_SIZE + 128;
    List<Object> invalid = new ArrayList<>();
    byte[] flipped = first.request.clone();
    flipped[200] ^= 0x04;
    invalid.add(
        invalidCase(
            "request ciphertext bit flipped", "sealed_request", flipped, "AUTHENTICATION_FAILED"));
    invalid.add(
        invalidCase(
            "request one byte short",
            "sealed_request",
            Arrays.copyOf(first.request, first.request.length - 1),
            "WRONG_SIZE"));
    byte[] lowOrder = first.request.clone();
    Arrays.fill(lowOrder, 0, 32, (byte) 0);
    invalid.add(
        invalidCase(
            "ephemeral key u = 0 (low order)", "sealed_request", lowOrder, "INVALID_PUBLIC_KEY"));
    byte[] badPadding = new byte[innerSize];
    Bytes.putInt(badPadding, 0, (int) minute);
    Bytes.putShort(badPadding, 4, 1);
    badPadding[6] = 0x08;
    badPadding[innerSize - 1] = 0x01;
    invalid.add(
        invalidCase(
            "authentic, but the last padding byte is 0x01",
            "sealed_request",
            seal.sealInner(relayPub, ephemeral, badPadding).bytes(),
            "NON_ZERO_PADDING"));
    byte[] overLength = new byte[innerSize];
    Bytes.putInt(overLength, 0, (int) minute);
    Bytes.putShort(overLength, 4, seal.requestCapacity() + 1);
    invalid.add(
        invalidCase(
            "authentic, but length = capacity + 1",
            "sealed_request",
            seal.sealInner(relayPub, ephemeral, overLength).bytes(),
            "MALFORMED"));
    byte[] replyFlip = first.reply.clone();
    replyFlip[5] ^= 0x10;
    invalid.add(
        invalidCase("reply bit flipped", "sealed_reply", replyFlip, "AUTHENTICATION_FAILED"));
    byte[] replyPlain = new byte[256];
    Bytes.putShort(replyPlain, 0, 255);
    invalid.add(
        invalidCase(
            "authentic reply, but length = 255",
            "sealed_reply",
            ForwardSeal.sealReplyPlain(first.replyKey, replyPlain),
            "MALFORMED"));
    byte[] replyPadding = new byte[256];
    replyPadding[255] = 0x01;
    invalid.add(
        invalidCase(
            "authentic reply, but the last padding byte is 0x01",
            "sealed_reply",
            ForwardSeal.sealReplyPlain(first.replyKey, replyPadding),
            "NON_ZERO_PADDING"));

    Map<String, Object> root = Json.object();
    root.put("construction", "protocol.md section 9: forwarding (two-hop send)");
    root.put(
        "notes",
        "E is a parameter (15847 by default); these vectors use E = 512: inner plaintext I = E +"
            + " 128 = 640 bytes, sealed request E + 176 = 688 bytes, sealed reply 272 bytes."
            + " time_minutes = floor(unix_millis / 60000) of now. Invalid requests are opened with"
            + " the relay key of vector 0, invalid replies with its reply_key.");
    root.put("envelope_size", VECTOR_ENVELOPE_SIZE);
    root.put("request_capacity", seal.requestCapacity());
    root.put("reply_capacity", ForwardSeal.REPLY_CAPACITY);
    root.put("vectors", vectors);
    root.put("invalid", invalid);
    return root;
  }

  private record SealedVector(byte[] request, byte[] replyKey, byte[] reply) {}

  private static SealedVector forwardVector(
      ForwardSeal seal,
      String n,
      String description,
      byte[] inner,
      byte[] replyFrame,
      List<Object> out)
      throws CryptoException {
    byte[] relayPriv = seed("forward " + n + " relay_static", 32);
    byte[] ePriv = seed("forward " + n + " ephemeral", 32);
    X25519KeyPair relay = X25519KeyPair.fromPrivateKey(relayPriv);
    X25519KeyPair ephemeral = X25519KeyPair.fromPrivateKey(ePriv);
    Clock clock = Clock.fixed(FORWARD_NOW, ZoneOffset.UTC);
    FixedRandom random = new FixedRandom(ePriv);
    ForwardSeal.SealedRequest sealed = seal.seal(relay.publicKey(), inner, clock, random);
    byte[] reply = ForwardSeal.sealReply(sealed.replyKey(), replyFrame);
    byte[] dh = ephemeral.agree(relay.publicKey());
    byte[] okm =
        Hkdf.derive(
            new byte[0],
            dh,
            Bytes.concat(
                Bytes.ascii("sealpost/1 forward"), ephemeral.publicKey(), relay.publicKey()),
            64);
    Map<String, Object> v = Json.object();
    v.put("description", description);
    v.put("relay_static_private", hex(relayPriv));
    v.put("relay_static_public", hex(relay.publicKey()));
    v.put("ephemeral_private", hex(ePriv));
    v.put("ephemeral_public", hex(ephemeral.publicKey()));
    v.put("now", FORWARD_NOW.toString());
    v.put("time_minutes", ForwardSeal.minutes(clock));
    v.put("inner_frame", hex(inner));
    v.put("shared_secret", hex(dh));
    v.put("request_key", hex(Arrays.copyOfRange(okm, 0, 32)));
    v.put("reply_key", hex(Arrays.copyOfRange(okm, 32, 64)));
    v.put("sealed_request", hex(sealed.bytes()));
    v.put("reply_frame", hex(replyFrame));
    v.put("sealed_reply", hex(reply));
    out.add(v);
    return new SealedVector(sealed.bytes(), sealed.replyKey(), reply);
  }

  // ---------------------------------------------------------------- §7.4 address-changed notice

  static final String NOTICE_ADDRESS =
      "sealpost://AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8@relay.example.org:443/m/"
          + "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8.QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8"
          + ".YGFiY2RlZmdoaWprbG1ubw.17TFdBPa?b=4096";

  static Map<String, Object> addressChange() throws CryptoException {
    List<Object> vectors = new ArrayList<>();
    byte[] first =
        noticeVector("1", "a moved mailbox with a send token and ?b=", NOTICE_ADDRESS, vectors);
    noticeVector("2", "the shortest address field", "x", vectors);
    X25519KeyPair old = X25519KeyPair.fromPrivateKey(seed("notice 1 old_sealing", 32));
    byte[] contactPub =
        X25519KeyPair.fromPrivateKey(seed("notice 1 contact_sealing", 32)).publicKey();
    byte[] senderId = seed("notice 1 old_sender_id", 32);
    int fixed = 27 + 64 + 2;
    List<Object> invalid = new ArrayList<>();
    byte[] flipped = first.clone();
    flipped[first.length - 3] ^= 0x20;
    invalid.add(invalidCase("tag bit flipped", "content", flipped, "AUTHENTICATION_FAILED"));
    byte[] addressFlip = first.clone();
    addressFlip[fixed + 20] ^= 0x01;
    invalid.add(
        invalidCase(
            "address character changed (still printable)",
            "content",
            addressFlip,
            "AUTHENTICATION_FAILED"));
    invalid.add(
        invalidCase(
            "sealed for another contact",
            "content",
            AddressChangeNotice.create(
                old,
                senderId,
                NOTICE_ADDRESS,
                X25519KeyPair.fromPrivateKey(seed("notice other contact", 32)).publicKey()),
            "AUTHENTICATION_FAILED"));
    invalid.add(
        invalidCase(
            "one byte short", "content", Arrays.copyOf(first, first.length - 1), "MALFORMED"));
    byte[] zeroLength = Arrays.copyOf(first, fixed + 32);
    zeroLength[fixed - 2] = 0;
    zeroLength[fixed - 1] = 0;
    invalid.add(invalidCase("address length 0", "content", zeroLength, "MALFORMED"));
    byte[] space = first.clone();
    space[fixed + 5] = 0x20;
    invalid.add(invalidCase("a space in the address", "content", space, "MALFORMED"));
    byte[] label = first.clone();
    label[9] = '2';
    invalid.add(invalidCase("label says sealpost/2", "content", label, "MALFORMED"));
    byte[] lowOrder = first.clone();
    Arrays.fill(lowOrder, 27 + 32, 27 + 64, (byte) 0);
    invalid.add(
        invalidCase(
            "old sealing key u = 0 (low order)", "content", lowOrder, "INVALID_PUBLIC_KEY"));

    Map<String, Object> root = Json.object();
    root.put("construction", "protocol.md section 7.4: address-changed notice");
    root.put(
        "notes",
        "The content travels inside an ordinary sealed envelope (section 7) to the contact's"
            + " mailbox. Invalid contents are opened with the contact sealing key of vector 0.");
    root.put("label", "sealpost/1 address-changed");
    root.put("vectors", vectors);
    root.put("invalid", invalid);
    return root;
  }

  private static byte[] noticeVector(
      String n, String description, String newAddress, List<Object> out) throws CryptoException {
    byte[] oldPriv = seed("notice " + n + " old_sealing", 32);
    byte[] contactPriv = seed("notice " + n + " contact_sealing", 32);
    byte[] senderId = seed("notice " + n + " old_sender_id", 32);
    X25519KeyPair old = X25519KeyPair.fromPrivateKey(oldPriv);
    X25519KeyPair contact = X25519KeyPair.fromPrivateKey(contactPriv);
    byte[] content = AddressChangeNotice.create(old, senderId, newAddress, contact.publicKey());
    byte[] shared = old.agree(contact.publicKey());
    byte[] key =
        Hkdf.derive(
            new byte[0],
            shared,
            Bytes.concat(
                Bytes.ascii("sealpost/1 address-changed"), old.publicKey(), contact.publicKey()),
            32);
    Map<String, Object> v = Json.object();
    v.put("description", description);
    v.put("old_sealing_private", hex(oldPriv));
    v.put("old_sealing_public", hex(old.publicKey()));
    v.put("old_sender_id", hex(senderId));
    v.put("contact_sealing_private", hex(contactPriv));
    v.put("contact_sealing_public", hex(contact.publicKey()));
    v.put("new_address", newAddress);
    v.put("shared_secret", hex(shared));
    v.put("key", hex(key));
    v.put("body", hex(Arrays.copyOf(content, content.length - 32)));
    v.put("tag", hex(Arrays.copyOfRange(content, content.length - 32, content.length)));
    v.put("content", hex(content));
    out.add(v);
    return content;
  }
}
