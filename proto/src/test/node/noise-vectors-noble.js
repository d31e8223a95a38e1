// Re-derives docs/test-vectors/noise-nk-sealpost.json from its inputs with independent libraries
// only: @noble/curves (X25519), @noble/ciphers (AES-256-GCM), @noble/hashes (SHA-256, HMAC,
// HKDF). It implements Noise_NK_25519_AESGCM_SHA256 from the Noise spec (rev 34) and
// docs/protocol.md section 2, never the Java code. Exits non-zero on any mismatch.
//
// Usage: node noise-vectors-noble.js <path to noise-nk-sealpost.json>
'use strict';
const { readFileSync } = require('node:fs');

async function main () {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node noise-vectors-noble.js <noise-nk-sealpost.json>');
    return 2;
  }
  // The @noble packages are ES modules: load them with dynamic import from this CommonJS script.
  const { x25519 } = await import('@noble/curves/ed25519.js');
  const { gcm } = await import('@noble/ciphers/aes.js');
  const { sha256 } = await import('@noble/hashes/sha2.js');
  const { hkdf } = await import('@noble/hashes/hkdf.js');
  const { bytesToHex, hexToBytes, concatBytes, utf8ToBytes } = await import('@noble/hashes/utils.js');

  const failures = [];
  let checks = 0;
  const eq = (where, actual, expectedHex) => {
    checks++;
    const a = bytesToHex(actual);
    if (a !== expectedHex) failures.push(`${where}: got ${a.slice(0, 48)}..., want ${String(expectedHex).slice(0, 48)}...`);
  };

  const root = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(root.vectors) || root.vectors.length === 0) throw new Error('no vectors');

  for (const [idx, v] of root.vectors.entries()) {
    const at = (f) => `vectors[${idx}].${f}`;
    if (v.protocol_name !== 'Noise_NK_25519_AESGCM_SHA256') throw new Error(`unsupported ${v.protocol_name}`);
    const B = v.block_size;
    const hx = (f) => hexToBytes(v[f]);

    // Prologue: "sealpost/1" || uint32 big-endian B.
    const prologue = concatBytes(utf8ToBytes('sealpost/1'), new Uint8Array([B >>> 24, (B >>> 16) & 255, (B >>> 8) & 255, B & 255]));
    eq(at('prologue'), prologue, v.prologue);

    // Noise symmetric state, SHA-256 flavour (HASHLEN 32, HKDF = RFC 5869 with salt = ck, empty info).
    const name = utf8ToBytes(v.protocol_name);
    let h = name.length <= 32 ? concatBytes(name, new Uint8Array(32 - name.length)) : sha256(name);
    let ck = h;
    let k = null;
    let n = 0;
    const mixHash = (data) => { h = sha256(concatBytes(h, data)); };
    const mixKey = (ikm) => {
      const out = hkdf(sha256, ikm, ck, new Uint8Array(0), 64);
      ck = out.slice(0, 32); k = out.slice(32, 64); n = 0;
    };
    // AESGCM nonce: 4 zero bytes || 64-bit big-endian counter.
    const nonce = (i) => { const iv = new Uint8Array(12); new DataView(iv.buffer).setBigUint64(4, BigInt(i), false); return iv; };
    const encryptAndHash = (pt) => { const ct = gcm(k, nonce(n++), h).encrypt(pt); mixHash(ct); return ct; };

    const rsPriv = hx('relay_static_private');
    const rsPub = x25519.getPublicKey(rsPriv);
    eq(at('relay_static_public'), rsPub, v.relay_static_public);
    const cePriv = hx('client_ephemeral_private');
    const cePub = x25519.getPublicKey(cePriv);
    eq(at('client_ephemeral_public'), cePub, v.client_ephemeral_public);
    const rePriv = hx('relay_ephemeral_private');
    const rePub = x25519.getPublicKey(rePriv);
    eq(at('relay_ephemeral_public'), rePub, v.relay_ephemeral_public);

    mixHash(prologue);
    mixHash(rsPub); // pre-message: <- s

    // Message 1 (client -> relay): e, es, then the B-48 byte payload.
    const p1 = hx('handshake1_payload');
    if (p1.length !== B - 48) failures.push(at('handshake1_payload') + ': not B-48 bytes');
    mixHash(cePub);
    const es = x25519.getSharedSecret(cePriv, rsPub);
    eq(at('es (relay side)'), x25519.getSharedSecret(rsPriv, cePub), bytesToHex(es));
    mixKey(es);
    const msg1 = concatBytes(cePub, encryptAndHash(p1));
    if (msg1.length !== B) failures.push(at('handshake1') + ': not B bytes');
    eq(at('handshake1'), msg1, v.handshake1);

    // Message 2 (relay -> client): e, ee, then the B-48 byte payload.
    const p2 = hx('handshake2_payload');
    mixHash(rePub);
    const ee = x25519.getSharedSecret(cePriv, rePub);
    eq(at('ee (relay side)'), x25519.getSharedSecret(rePriv, cePub), bytesToHex(ee));
    mixKey(ee);
    const msg2 = concatBytes(rePub, encryptAndHash(p2));
    eq(at('handshake2'), msg2, v.handshake2);
    eq(at('handshake_hash'), h, v.handshake_hash);

    // Split: (k1, k2) = HKDF(ck, empty, 2); k1 protects client -> relay, k2 relay -> client.
    const split = hkdf(sha256, new Uint8Array(0), ck, new Uint8Array(0), 64);
    const k1 = split.slice(0, 32);
    const k2 = split.slice(32, 64);
    eq(at('client_to_relay_key'), k1, v.client_to_relay_key);
    eq(at('relay_to_client_key'), k2, v.relay_to_client_key);

    const counters = { client_to_relay: 0, relay_to_client: 0 };
    for (const [i, t] of v.transport.entries()) {
      const key = t.direction === 'client_to_relay' ? k1 : k2;
      const n2 = counters[t.direction]++;
      if (t.nonce !== n2) failures.push(`${at('transport')}[${i}]: nonce ${t.nonce}, want ${n2}`);
      const pt = hexToBytes(t.plaintext);
      if (pt.length !== B - 16) failures.push(`${at('transport')}[${i}]: plaintext not B-16 bytes`);
      const ct = gcm(key, nonce(n2), new Uint8Array(0)).encrypt(pt);
      if (ct.length !== B) failures.push(`${at('transport')}[${i}]: ciphertext not B bytes`);
      eq(`${at('transport')}[${i}].ciphertext`, ct, t.ciphertext);
      eq(`${at('transport')}[${i}].plaintext (decrypted)`, gcm(key, nonce(n2), new Uint8Array(0)).decrypt(hexToBytes(t.ciphertext)), t.plaintext);
    }
  }

  if (failures.length > 0) {
    for (const f of failures) console.error('MISMATCH ' + f);
    console.error(`FAIL ${failures.length} of ${checks} checks`);
    return 1;
  }
  console.log(`OK ${checks} checks`);
  return 0;
}

main().then((code) => process.exit(code), (err) => { console.error('ERROR ' + (err && err.stack || err)); process.exit(3); });
