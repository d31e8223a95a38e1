package org.sealpost.client;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.sealpost.proto.address.AddressException;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.crypto.RandomSource;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.files.PrivateFiles;

/**
 * A local file holding a user's identity key pair and the credentials of their mailboxes. It is
 * also the export format: copying the file (or {@link #toJson()}) moves every mailbox to another
 * device or client (DESIGN §4).
 *
 * <p>The file is written atomically (a temporary file in the same directory, flushed to disk, then
 * renamed over the old one) with permissions {@code 0600}; a directory created for it gets {@code
 * 0700}. Loading refuses a file that group or others may access. Thread-safe.
 *
 * <h2>Format, version 1</h2>
 *
 * UTF-8 JSON; every key and ID is unpadded base64url (RFC 4648 §5):
 *
 * <pre>{@code
 * {
 *   "format": "sealpost-keystore",
 *   "version": 1,
 *   "identity": { "private_key": "<32 bytes>", "public_key": "<32 bytes>" },   // optional
 *   "first_relay": "sealpost://<key>@host:port",  // optional: default first relay for sending
 *   "mailboxes": [
 *     { "name": "inbox",                          // [A-Za-z0-9._-]{1,64}, unique
 *       "relay": "sealpost://<key>@host:port",    // relay address, docs/protocol.md §8
 *       "recipient_id": "<32 bytes>",
 *       "sender_id": "<32 bytes>",
 *       "relay_dh_public": "<32 bytes>",          // the relay's per-queue X25519 key Q
 *       "queue_private_key": "<32 bytes>",        // the recipient's per-queue X25519 key r_q
 *       "sealing_private_key": "<32 bytes>",      // the key envelopes are sealed to
 *       "send_token": "<16 bytes>",               // only for a secured mailbox
 *       "moved_to": "inbox" }                     // optional: moved, drained until retired
 *   ]
 * }
 * }</pre>
 *
 * Readers reject another {@code format} or a {@code version} they do not know, and ignore unknown
 * fields (so later versions can add optional ones).
 */
public final class Keystore {
  public static final String FORMAT = "sealpost-keystore";
  public static final int VERSION = 1;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final Path file;
  private X25519KeyPair identity;
  private RelayAddress firstRelay; // issue 11: default first relay of two-hop sends
  private final LinkedHashMap<String, Mailbox> mailboxes = new LinkedHashMap<>();

  // issue 12: relay-key rotation
  /**
   * Moves every mailbox and the first relay that pin {@code change}'s previous key to its successor
   * (call {@link #save()}).
   *
   * @return how many entries changed
   */
  public synchronized int apply(RelayKeyChange change) {
    int changed = 0;
    for (Map.Entry<String, Mailbox> e : mailboxes.entrySet()) {
      if (change.applies(e.getValue().relay())) {
        e.setValue(change.apply(e.getValue()));
        changed++;
      }
    }
    if (firstRelay != null && change.applies(firstRelay)) {
      firstRelay = change.apply(firstRelay);
      changed++;
    }
    return changed;
  }

  // issue 11: moving a mailbox: a retiring mailbox's name → the name of the one it moved to
  private final Map<String, String> movedTo = new HashMap<>();

  private Keystore(Path file) {
    this.file = file;
  }

  /** {@code ~/.sealpost/keystore.json}. */
  public static Path defaultPath() {
    return Path.of(System.getProperty("user.home"), ".sealpost", "keystore.json");
  }

  /** Loads the keystore at {@code file}, or starts an empty one there if there is no file yet. */
  public static Keystore open(Path file) {
    Objects.requireNonNull(file, "file");
    if (!Files.exists(file)) {
      return new Keystore(file);
    }
    return load(file);
  }

  /**
   * Loads an existing keystore.
   *
   * @throws SealpostException {@link ClientError#KEYSTORE} if it is missing, unreadable, not this
   *     format, or accessible by group or others
   */
  public static Keystore load(Path file) {
    Objects.requireNonNull(file, "file");
    String json;
    try {
      checkPrivate(file);
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw error("keystore " + file + " does not exist", e);
    } catch (IOException e) {
      throw error("keystore " + file + " cannot be read (" + e.getClass().getSimpleName() + ")", e);
    }
    Keystore keystore = new Keystore(file);
    keystore.readJson(json);
    return keystore;
  }

  /** Parses keystore JSON (an export) into a keystore that {@link #save()}s to {@code file}. */
  public static Keystore fromJson(Path file, String json) {
    Keystore keystore = new Keystore(Objects.requireNonNull(file, "file"));
    keystore.readJson(json);
    return keystore;
  }

  public Path file() {
    return file;
  }

  /** The identity key pair, if one was created. */
  public synchronized Optional<X25519KeyPair> identity() {
    return Optional.ofNullable(identity);
  }

  /** The identity key pair, created from {@code random} on first use (call {@link #save()}). */
  public synchronized X25519KeyPair identityOrCreate(RandomSource random) {
    if (identity == null) {
      identity = X25519KeyPair.generate(random);
    }
    return identity;
  }

  /** The mailboxes by name, in the order they were added. */
  /** The default first relay for two-hop sends, if one was set. */
  public synchronized Optional<RelayAddress> firstRelay() {
    return Optional.ofNullable(firstRelay);
  }

  /** Sets (or, with null, clears) the default first relay; {@link #save()} to keep it. */
  public synchronized void setFirstRelay(RelayAddress relay) {
    this.firstRelay = relay;
  }

  public synchronized Map<String, Mailbox> mailboxes() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(mailboxes));
  }

  public synchronized Optional<Mailbox> mailbox(String name) {
    return Optional.ofNullable(mailboxes.get(name));
  }

  /**
   * Adds or replaces a mailbox (call {@link #save()}).
   *
   * @throws IllegalArgumentException for a name outside {@code [A-Za-z0-9._-]{1,64}}
   */
  public synchronized void put(String name, Mailbox mailbox) {
    checkName(name);
    mailboxes.put(name, Objects.requireNonNull(mailbox, "mailbox"));
  }

  /** Removes a mailbox; true if it was there (call {@link #save()}). */
  public synchronized boolean remove(String name) {
    movedTo.remove(name);
    return mailboxes.remove(name) != null;
  }

  // issue 11: moving a mailbox
  /** Marks mailbox {@code name} as moved to mailbox {@code target} (call {@link #save()}). */
  public synchronized void setMovedTo(String name, String target) {
    if (!mailboxes.containsKey(name) || !mailboxes.containsKey(target)) {
      throw new IllegalArgumentException("both mailboxes must be in the keystore");
    }
    movedTo.put(name, target);
  }

  /** The mailbox {@code name} moved to, if it is a retiring one. */
  public synchronized Optional<String> movedTo(String name) {
    return Optional.ofNullable(movedTo.get(name));
  }

  /** The retiring mailboxes that moved to {@code name}, in keystore order. */
  public synchronized List<String> movedFrom(String name) {
    List<String> from = new ArrayList<>();
    mailboxes
        .keySet()
        .forEach(
            n -> {
              if (name.equals(movedTo.get(n))) {
                from.add(n);
              }
            });
    return from;
  }

  /** Whether {@code name} is a valid mailbox name. */
  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  private static void checkName(String name) {
    if (!isValidName(name)) {
      throw new IllegalArgumentException(
          "a mailbox name is 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'");
    }
  }

  /** The version-1 JSON text of this keystore: the export format. */
  public synchronized String toJson() {
    JsonObject root = new JsonObject().put("format", FORMAT).put("version", VERSION);
    if (identity != null) {
      root.put(
          "identity",
          new JsonObject()
              .put("private_key", b64(identity.privateKey()))
              .put("public_key", b64(identity.publicKey())));
    }
    if (firstRelay != null) {
      root.put("first_relay", firstRelay.format());
    }
    JsonArray list = new JsonArray();
    mailboxes.forEach(
        (name, m) -> {
          JsonObject o =
              new JsonObject()
                  .put("name", name)
                  .put("relay", m.relay().format())
                  .put("recipient_id", b64(m.recipientId()))
                  .put("sender_id", b64(m.senderId()))
                  .put("relay_dh_public", b64(m.relayDhPublic()))
                  .put("queue_private_key", b64(m.queueKey().privateKey()))
                  .put("sealing_private_key", b64(m.sealingKey().privateKey()));
          m.sendToken().ifPresent(t -> o.put("send_token", b64(t)));
          if (movedTo.containsKey(name)) {
            o.put("moved_to", movedTo.get(name));
          }
          list.add(o);
        });
    root.put("mailboxes", list);
    return root.encodePrettily() + "\n";
  }

  /**
   * Writes the keystore atomically with permissions 0600, creating its directory (0700) if needed.
   *
   * @throws SealpostException {@link ClientError#KEYSTORE} if it cannot be written
   */
  public void save() {
    byte[] bytes = toJson().getBytes(StandardCharsets.UTF_8);
    Path target = file.toAbsolutePath();
    try {
      PrivateFiles.createDirectories(target.getParent());
      PrivateFiles.write(target, bytes);
    } catch (IOException e) {
      throw error(
          "keystore " + file + " cannot be written (" + e.getClass().getSimpleName() + ")", e);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static void checkPrivate(Path file) throws IOException {
    if (!PrivateFiles.isOwnerOnly(file)) {
      throw error(
          "keystore " + file + " is accessible by group or others; run: chmod 600 " + file, null);
    }
  }

  private synchronized void readJson(String json) {
    JsonObject root;
    try {
      root = new JsonObject(json);
    } catch (DecodeException | ClassCastException e) {
      throw error("keystore " + file + " is not JSON", null);
    }
    if (!FORMAT.equals(root.getValue("format"))) {
      throw error("keystore " + file + " is not a sealpost keystore (\"format\")", null);
    }
    if (!Integer.valueOf(VERSION).equals(intValue(root.getValue("version")))) {
      throw error(
          "keystore " + file + " has a version this client does not read (expected 1)", null);
    }
    Object id = root.getValue("identity");
    if (id != null) {
      JsonObject o = object(id, "identity");
      X25519KeyPair pair = X25519KeyPair.fromPrivateKey(bytes(o, "private_key", 32, "identity"));
      if (o.containsKey("public_key")
          && !Arrays.equals(pair.publicKey(), bytes(o, "public_key", 32, "identity"))) {
        throw error(
            "keystore " + file + ": identity public_key does not match its private_key", null);
      }
      identity = pair;
    }
    if (root.containsKey("first_relay")) {
      try {
        firstRelay = RelayAddress.parse(string(root, "first_relay", "keystore"));
      } catch (AddressException e) {
        throw error(
            "keystore " + file + ": first_relay is not a relay address (" + e.error() + ")", null);
      }
    }
    Object list = root.getValue("mailboxes");
    if (list == null) {
      return;
    }
    if (!(list instanceof JsonArray array)) {
      throw error("keystore " + file + ": \"mailboxes\" must be an array", null);
    }
    for (int i = 0; i < array.size(); i++) {
      String where = "mailboxes[" + i + "]";
      JsonObject o = object(array.getValue(i), where);
      Object name = o.getValue("name");
      if (!(name instanceof String n) || !isValidName(n)) {
        throw error("keystore " + file + ": " + where + ".name is missing or invalid", null);
      }
      if (mailboxes.containsKey(n)) {
        throw error("keystore " + file + ": two mailboxes are named " + n, null);
      }
      RelayAddress relay;
      try {
        relay = RelayAddress.parse(string(o, "relay", where));
      } catch (AddressException e) {
        throw error(
            "keystore " + file + ": " + where + ".relay is not a relay address (" + e.error() + ")",
            null);
      }
      byte[] token = o.containsKey("send_token") ? bytes(o, "send_token", 16, where) : null;
      byte[] recipientId = bytes(o, "recipient_id", 32, where);
      byte[] senderId = bytes(o, "sender_id", 32, where);
      byte[] relayDh = bytes(o, "relay_dh_public", 32, where);
      X25519KeyPair queueKey =
          X25519KeyPair.fromPrivateKey(bytes(o, "queue_private_key", 32, where));
      X25519KeyPair sealingKey =
          X25519KeyPair.fromPrivateKey(bytes(o, "sealing_private_key", 32, where));
      if (o.containsKey("moved_to")) {
        String target = string(o, "moved_to", where);
        if (!isValidName(target)) {
          throw error("keystore " + file + ": " + where + ".moved_to is not a mailbox name", null);
        }
        movedTo.put(n, target);
      }
      try {
        mailboxes.put(
            n, new Mailbox(relay, recipientId, senderId, relayDh, queueKey, sealingKey, token));
      } catch (SealpostException e) {
        throw error("keystore " + file + ": " + where + ".relay_dh_public is not usable", e);
      }
    }
  }

  private static Integer intValue(Object v) {
    return v instanceof Number n && n.doubleValue() == n.intValue() ? n.intValue() : null;
  }

  private JsonObject object(Object v, String where) {
    if (v instanceof JsonObject o) {
      return o;
    }
    throw error("keystore " + file + ": " + where + " must be an object", null);
  }

  private String string(JsonObject o, String field, String where) {
    Object v = o.getValue(field);
    if (v instanceof String s) {
      return s;
    }
    throw error("keystore " + file + ": " + where + "." + field + " is missing", null);
  }

  private byte[] bytes(JsonObject o, String field, int length, String where) {
    String text = string(o, field, where);
    byte[] value;
    try {
      value = Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      value = null;
    }
    if (value == null || value.length != length || text.endsWith("=")) {
      throw error(
          "keystore "
              + file
              + ": "
              + where
              + "."
              + field
              + " must be "
              + length
              + " bytes of unpadded base64url",
          null);
    }
    return value;
  }

  private static String b64(byte[] bytes) {
    return B64.encodeToString(bytes);
  }

  private static SealpostException error(String message, Throwable cause) {
    return new SealpostException(ClientError.KEYSTORE, message, cause);
  }
}
