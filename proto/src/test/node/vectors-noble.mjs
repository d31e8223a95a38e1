// Re-derives every Sealpost cryptographic test vector (docs/test-vectors/*.json) from its inputs
// with independent libraries only: @noble/curves (X25519), @noble/ciphers (AES-GCM),
// @noble/hashes (SHA-256, HMAC, HKDF). It follows docs/protocol.md sections 4.3.1, 5, 6, 7 (with 7.4)
// and 9 and never calls the Java implementation. Exits non-zero on any mismatch.
//
// Usage: node vectors-noble.mjs <docs/test-vectors directory>
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { x25519 } from '@noble/curves/ed25519.js';
import { gcm } from '@noble/ciphers/aes.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { bytesToHex, hexToBytes, concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node vectors-noble.mjs <test-vectors directory>');
  process.exit(2);
}

let checks = 0;
const failures = [];
function eq(where, actual, expectedHex) {
  checks++;
  const a = typeof actual === 'string' ? actual : bytesToHex(actual);
  if (a !== expectedHex) failures.push(`${where}: got ${a.slice(0, 64)}..., want ${String(expectedHex).slice(0, 64)}...`);
}
function same(where, actual, expected) {
  checks++;
  if (actual !== expected) failures.push(`${where}: got ${actual}, want ${expected}`);
}
function load(name) {
  const v = JSON.parse(readFileSync(join(dir, name + '.json'), 'utf8'));
  if (!Array.isArray(v.vectors) || v.vectors.length === 0) throw new Error(`${name}: no vectors`);
  return v;
}

class TypedError extends Error {
  constructor(reason) { super(reason); this.reason = reason; }
}
const fail = (reason) => { throw new TypedError(reason); };
const ascii = (s) => utf8ToBytes(s);
const EMPTY = new Uint8Array(0);
const ZERO_NONCE = new Uint8Array(12);
const u32 = (n) => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, n, false); return b; };
const u16 = (n) => { const b = new Uint8Array(2); new DataView(b.buffer).setUint16(0, n, false); return b; };
const readU32 = (b, off) => new DataView(b.buffer, b.byteOffset).getUint32(off, false);
const readU16 = (b, off) => new DataView(b.buffer, b.byteOffset).getUint16(off, false);

// X25519 with the protocol's rule: wrong length or an all-zero result (low-order point) is
// INVALID_PUBLIC_KEY. noble rejects low-order inputs itself; the explicit zero check is the spec's.
function dh(priv, pub) {
  if (pub.length !== 32) fail('INVALID_PUBLIC_KEY');
  let out;
  try { out = x25519.getSharedSecret(priv, pub); } catch (e) { fail('INVALID_PUBLIC_KEY'); }
  if (out.every((b) => b === 0)) fail('INVALID_PUBLIC_KEY');
  return out;
}
function aeadOpen(key, nonce, aad, ct) {
  try { return gcm(key, nonce, aad).decrypt(ct); } catch (e) { fail('AUTHENTICATION_FAILED'); }
}
function unpad(plain, offset, length) {
  if (length > plain.length - offset) fail('MALFORMED');
  const end = offset + length;
  if (!plain.subarray(end).every((b) => b === 0)) fail('NON_ZERO_PADDING');
  return plain.slice(offset, end);
}
function expectError(where, reason, fn) {
  checks++;
  try {
    fn();
    failures.push(`${where}: accepted, want ${reason}`);
  } catch (e) {
    if (!(e instanceof TypedError)) failures.push(`${where}: untyped error ${e}`);
    else if (e.reason !== reason) failures.push(`${where}: ${e.reason}, want ${reason}`);
  }
}

// ---------------------------------------------------------------- §5 queue keys
{
  const f = load('queue-keys');
  f.vectors.forEach((v, i) => {
    const w = `queue-keys[${i}]`;
    const q = hexToBytes(v.relay_queue_private), r = hexToBytes(v.recipient_private);
    const Q = x25519.getPublicKey(q), R = x25519.getPublicKey(r);
    eq(`${w}.relay_queue_public`, Q, v.relay_queue_public);
    eq(`${w}.recipient_public`, R, v.recipient_public);
    const ss = dh(q, R);
    eq(`${w}.shared_secret (relay side)`, ss, v.shared_secret);
    eq(`${w}.shared_secret (recipient side)`, dh(r, Q), v.shared_secret);
    const info = concatBytes(ascii('sealpost/1 queue'), Q, R);
    eq(`${w}.hkdf_info`, info, v.hkdf_info);
    const okm = hkdf(sha256, ss, EMPTY, info, 64);
    eq(`${w}.delivery_key`, okm.slice(0, 32), v.delivery_key);
    eq(`${w}.mac_key`, okm.slice(32, 64), v.mac_key);
  });
  f.invalid.forEach((v, i) => expectError(`queue-keys.invalid[${i}]`, v.error,
      () => dh(hexToBytes(v.relay_queue_private), hexToBytes(v.recipient_public))));
}

// ---------------------------------------------------------------- §5 command MAC
{
  const f = load('command-mac');
  f.vectors.forEach((v, i) => {
    const h = hexToBytes(v.handshake_hash), rid = hexToBytes(v.recipient_id);
    same(`command-mac[${i}] h length`, h.length, 32);
    same(`command-mac[${i}] recipient_id length`, rid.length, 32);
    const mac = hmac(sha256, hexToBytes(v.mac_key), concatBytes(h, rid, hexToBytes(v.command)));
    eq(`command-mac[${i}].mac`, mac, v.mac);
  });
}

// ---------------------------------------------------------------- §6 delivery
{
  const f = load('delivery');
  const E = f.envelope_size;
  const aadOf = (rid) => concatBytes(ascii('sealpost/1 deliver'), rid);
  const decrypt = (key, id, rid, ct) => {
    if (id.length !== 12 || ct.length !== E + 16) fail('WRONG_SIZE');
    return aeadOpen(key, id, aadOf(rid), ct);
  };
  f.vectors.forEach((v, i) => {
    const w = `delivery[${i}]`;
    const key = hexToBytes(v.delivery_key), id = hexToBytes(v.message_id), rid = hexToBytes(v.recipient_id);
    const env = hexToBytes(v.envelope);
    same(`${w} envelope length`, env.length, E);
    eq(`${w}.aad`, aadOf(rid), v.aad);
    const ct = gcm(key, id, aadOf(rid)).encrypt(env);
    eq(`${w}.ciphertext`, ct, v.ciphertext);
    eq(`${w} decrypt`, decrypt(key, id, rid, hexToBytes(v.ciphertext)), v.envelope);
  });
  const v0 = f.vectors[0];
  f.invalid.forEach((v, i) => expectError(`delivery.invalid[${i}]`, v.error,
      () => decrypt(hexToBytes(v0.delivery_key), hexToBytes(v0.message_id), hexToBytes(v0.recipient_id),
          hexToBytes(v.ciphertext))));
}

// ---------------------------------------------------------------- §7 sealed envelope
{
  const f = load('envelope');
  const E = f.envelope_size;
  const capacity = E - 117;
  same('envelope.capacity', f.capacity, capacity);
  const layerOne = (dh1, header, Rs) =>
    hkdf(sha256, dh1, EMPTY, concatBytes(ascii('sealpost/1 envelope-ephemeral'), header, Rs), 64);
  const layerTwo = (chain, dh2, header, c1, Rs) =>
    hkdf(sha256, concatBytes(chain, dh2), EMPTY, concatBytes(ascii('sealpost/1 envelope-static'), header, c1, Rs), 32);
  const open = (rsPriv, env) => {
    if (env.length !== E) fail('WRONG_SIZE');
    if (env[0] !== 0x01) fail('UNSUPPORTED_VERSION');
    const Rs = x25519.getPublicKey(rsPriv);
    const header = env.slice(0, 33);
    const okm1 = layerOne(dh(rsPriv, env.slice(1, 33)), header, Rs);
    const c1 = env.slice(33, 81);
    const Ss = aeadOpen(okm1.slice(32, 64), ZERO_NONCE, header, c1);
    const k2 = layerTwo(okm1.slice(0, 32), dh(rsPriv, Ss), header, c1, Rs);
    const p2 = aeadOpen(k2, ZERO_NONCE, env.slice(0, 81), env.slice(81));
    const content = unpad(p2, 20, readU32(p2, 16) > capacity ? fail('MALFORMED') : readU32(p2, 16));
    return { sender: Ss, envelopeId: p2.slice(0, 16), content };
  };
  f.vectors.forEach((v, i) => {
    const w = `envelope[${i}]`;
    const rs = hexToBytes(v.recipient_sealing_private), s = hexToBytes(v.sender_identity_private);
    const e = hexToBytes(v.ephemeral_private);
    const Rs = x25519.getPublicKey(rs), Ss = x25519.getPublicKey(s), Epub = x25519.getPublicKey(e);
    eq(`${w}.recipient_sealing_public`, Rs, v.recipient_sealing_public);
    eq(`${w}.sender_identity_public`, Ss, v.sender_identity_public);
    eq(`${w}.ephemeral_public`, Epub, v.ephemeral_public);
    const header = concatBytes(new Uint8Array([0x01]), Epub);
    const dh1 = dh(e, Rs);
    eq(`${w}.dh1`, dh1, v.dh1);
    const okm1 = layerOne(dh1, header, Rs);
    eq(`${w}.chain`, okm1.slice(0, 32), v.chain);
    eq(`${w}.k1`, okm1.slice(32, 64), v.k1);
    const c1 = gcm(okm1.slice(32, 64), ZERO_NONCE, header).encrypt(Ss);
    eq(`${w}.c1`, c1, v.c1);
    const dh2 = dh(s, Rs);
    eq(`${w}.dh2`, dh2, v.dh2);
    const k2 = layerTwo(okm1.slice(0, 32), dh2, header, c1, Rs);
    eq(`${w}.k2`, k2, v.k2);
    const content = hexToBytes(v.content);
    const p2 = new Uint8Array(E - 97);
    p2.set(hexToBytes(v.envelope_id), 0);
    p2.set(u32(content.length), 16);
    p2.set(content, 20);
    const c2 = gcm(k2, ZERO_NONCE, concatBytes(header, c1)).encrypt(p2);
    const env = concatBytes(header, c1, c2);
    same(`${w} envelope length`, env.length, E);
    eq(`${w}.envelope`, env, v.envelope);
    const opened = open(rs, hexToBytes(v.envelope));
    eq(`${w} open sender`, opened.sender, v.sender_identity_public);
    eq(`${w} open envelope_id`, opened.envelopeId, v.envelope_id);
    eq(`${w} open content`, opened.content, v.content);
  });
  const rs0 = hexToBytes(f.vectors[0].recipient_sealing_private);
  f.invalid.forEach((v, i) => expectError(`envelope.invalid[${i}] (${v.description})`, v.error,
      () => open(rs0, hexToBytes(v.envelope))));
}

// ---------------------------------------------------------------- §9 forward
{
  const f = load('forward');
  const E = f.envelope_size;
  const I = E + 128;
  same('forward.request_capacity', f.request_capacity, I - 6);
  same('forward.reply_capacity', f.reply_capacity, 254);
  const AAD_REQ = ascii('sealpost/1 forward-req'), AAD_REP = ascii('sealpost/1 forward-rep');
  const keys = (ss, epub, relayPub) =>
    hkdf(sha256, ss, EMPTY, concatBytes(ascii('sealpost/1 forward'), epub, relayPub), 64);
  const openRequest = (relayPriv, req) => {
    if (req.length !== E + 176) fail('WRONG_SIZE');
    const epub = req.slice(0, 32);
    const okm = keys(dh(relayPriv, epub), epub, x25519.getPublicKey(relayPriv));
    const inner = aeadOpen(okm.slice(0, 32), ZERO_NONCE, AAD_REQ, req.slice(32));
    return { time: readU32(inner, 0), frame: unpad(inner, 6, readU16(inner, 4)), replyKey: okm.slice(32) };
  };
  const openReply = (replyKey, rep) => {
    if (rep.length !== 272) fail('WRONG_SIZE');
    const plain = aeadOpen(replyKey, ZERO_NONCE, AAD_REP, rep);
    return unpad(plain, 2, readU16(plain, 0));
  };
  f.vectors.forEach((v, i) => {
    const w = `forward[${i}]`;
    const relay = hexToBytes(v.relay_static_private), e = hexToBytes(v.ephemeral_private);
    const relayPub = x25519.getPublicKey(relay), epub = x25519.getPublicKey(e);
    eq(`${w}.relay_static_public`, relayPub, v.relay_static_public);
    eq(`${w}.ephemeral_public`, epub, v.ephemeral_public);
    same(`${w}.time_minutes`, v.time_minutes, Math.floor(Date.parse(v.now) / 60000));
    const ss = dh(e, relayPub);
    eq(`${w}.shared_secret`, ss, v.shared_secret);
    const okm = keys(ss, epub, relayPub);
    eq(`${w}.request_key`, okm.slice(0, 32), v.request_key);
    eq(`${w}.reply_key`, okm.slice(32, 64), v.reply_key);
    const frame = hexToBytes(v.inner_frame);
    const inner = new Uint8Array(I);
    inner.set(u32(v.time_minutes), 0);
    inner.set(u16(frame.length), 4);
    inner.set(frame, 6);
    const req = concatBytes(epub, gcm(okm.slice(0, 32), ZERO_NONCE, AAD_REQ).encrypt(inner));
    same(`${w} request length`, req.length, E + 176);
    eq(`${w}.sealed_request`, req, v.sealed_request);
    const opened = openRequest(relay, hexToBytes(v.sealed_request));
    same(`${w} open time`, opened.time, v.time_minutes);
    eq(`${w} open frame`, opened.frame, v.inner_frame);
    const replyFrame = hexToBytes(v.reply_frame);
    const plain = new Uint8Array(256);
    plain.set(u16(replyFrame.length), 0);
    plain.set(replyFrame, 2);
    const rep = gcm(okm.slice(32, 64), ZERO_NONCE, AAD_REP).encrypt(plain);
    same(`${w} reply length`, rep.length, 272);
    eq(`${w}.sealed_reply`, rep, v.sealed_reply);
    eq(`${w} open reply`, openReply(opened.replyKey, hexToBytes(v.sealed_reply)), v.reply_frame);
  });
  const relay0 = hexToBytes(f.vectors[0].relay_static_private);
  const replyKey0 = hexToBytes(f.vectors[0].reply_key);
  f.invalid.forEach((v, i) => expectError(`forward.invalid[${i}] (${v.description})`, v.error,
      () => v.sealed_request !== undefined
        ? openRequest(relay0, hexToBytes(v.sealed_request))
        : openReply(replyKey0, hexToBytes(v.sealed_reply))));
}

// ---------------------------------------------------------------- §7.4 address-changed notice
{
  const f = load('address-change');
  const LABEL = ascii('sealpost/1 address-changed');
  const MAGIC = concatBytes(LABEL, new Uint8Array(1));
  const FIXED = MAGIC.length + 64 + 2;
  const key = (ss, oldPub, contactPub) => hkdf(sha256, ss, EMPTY, concatBytes(LABEL, oldPub, contactPub), 32);
  const printable = (b) => b.every((c) => c >= 0x21 && c <= 0x7e);
  const openNotice = (contactPriv, content) => {
    if (content.length < MAGIC.length || bytesToHex(content.slice(0, MAGIC.length)) !== bytesToHex(MAGIC)) fail('MALFORMED');
    if (content.length < FIXED + 32) fail('MALFORMED');
    const n = readU16(content, FIXED - 2);
    if (n < 1 || n > 377 || content.length !== FIXED + n + 32) fail('MALFORMED');
    if (!printable(content.slice(FIXED, FIXED + n))) fail('MALFORMED');
    const oldPub = content.slice(MAGIC.length + 32, MAGIC.length + 64);
    const k = key(dh(contactPriv, oldPub), oldPub, x25519.getPublicKey(contactPriv));
    const tag = hmac(sha256, k, content.slice(0, FIXED + n));
    if (bytesToHex(tag) !== bytesToHex(content.slice(FIXED + n))) fail('AUTHENTICATION_FAILED');
    return { senderId: content.slice(MAGIC.length, MAGIC.length + 32), oldPub,
      address: new TextDecoder().decode(content.slice(FIXED, FIXED + n)) };
  };
  f.vectors.forEach((v, i) => {
    const w = `address-change[${i}]`;
    const oldPriv = hexToBytes(v.old_sealing_private), contactPriv = hexToBytes(v.contact_sealing_private);
    const oldPub = x25519.getPublicKey(oldPriv), contactPub = x25519.getPublicKey(contactPriv);
    eq(`${w}.old_sealing_public`, oldPub, v.old_sealing_public);
    eq(`${w}.contact_sealing_public`, contactPub, v.contact_sealing_public);
    const ss = dh(oldPriv, contactPub);
    eq(`${w}.shared_secret`, ss, v.shared_secret);
    const k = key(ss, oldPub, contactPub);
    eq(`${w}.key`, k, v.key);
    const addr = ascii(v.new_address);
    const body = concatBytes(MAGIC, hexToBytes(v.old_sender_id), oldPub, u16(addr.length), addr);
    eq(`${w}.body`, body, v.body);
    const tag = hmac(sha256, k, body);
    eq(`${w}.tag`, tag, v.tag);
    eq(`${w}.content`, concatBytes(body, tag), v.content);
    const opened = openNotice(contactPriv, hexToBytes(v.content));
    same(`${w} open address`, opened.address, v.new_address);
    eq(`${w} open sender id`, opened.senderId, v.old_sender_id);
  });
  const contact0 = hexToBytes(f.vectors[0].contact_sealing_private);
  f.invalid.forEach((v, i) => expectError(`address-change.invalid[${i}] (${v.description})`, v.error,
      () => openNotice(contact0, hexToBytes(v.content))));
}

// ---------------------------------------------------------------- §4.3.1 CreateQueue proof of work
{
  const f = load('create-pow');
  const h = hexToBytes(f.handshake_hash_hex);
  const rq = hexToBytes(f.queue_key_hex);
  const label = concatBytes(ascii('sealpost create pow v1'), new Uint8Array([0]));
  const zeros = (d) => {
    let n = 0;
    for (const b of d) { if (b === 0) { n += 8; continue; } return n + Math.clz32(b) - 24; }
    return n;
  };
  const digest = (nonce) => sha256(concatBytes(label, h, rq, nonce));
  f.vectors.forEach((v, i) => {
    // search from 0 as the vector says, so the first valid nonce must be the one recorded
    const nonce = new Uint8Array(8);
    for (let n = 0; ; n++) {
      new DataView(nonce.buffer).setUint32(4, n, false);
      if (zeros(digest(nonce)) >= v.bits) break;
    }
    eq(`create-pow[${i}].nonce`, nonce, v.nonce_hex);
    eq(`create-pow[${i}].digest`, digest(hexToBytes(v.nonce_hex)), v.digest_hex);
    same(`create-pow[${i}].leading_zero_bits`, zeros(digest(hexToBytes(v.nonce_hex))), v.leading_zero_bits);
  });
}

if (failures.length > 0) {
  console.error(`vectors-noble: ${failures.length} of ${checks} checks FAILED`);
  for (const f of failures) console.error('  ' + f);
  process.exit(1);
}
console.log(`vectors-noble: all ${checks} checks passed`);
