// An independent Noise peer for the Java interop test (NoiseNodeInteropIT): the npm package
// `noise-protocol` (libsodium based) runs Noise_NK_25519_ChaChaPoly_BLAKE2b with the Sealpost
// prologue and B-padded handshake payloads (docs/protocol.md section 2), then exchanges
// transport blocks with the split keys through noise-protocol's own cipher-state functions.
//
// Usage: node noise-peer.js initiator <B> <relay static public key hex>
//        node noise-peer.js responder <B>
//
// Line protocol on stdin/stdout, fields in hex:
//   pub <key>               responder only, first line: its freshly generated static key
//   hs1 <message> <payload> handshake message 1 and the payload the sender put in it
//   hs2 <message> <payload> handshake message 2
//   t <block> <plaintext>   one transport block (B bytes) and its B-16 byte plaintext
//   done <n>                last line from this peer after n transport blocks each way
//   fail <reason>           this peer disagreed; it then exits with status 1
'use strict';
const readline = require('node:readline');
const { randomBytes } = require('node:crypto');
const noise = require('noise-protocol');
const cipher = require('noise-protocol/cipher')();
const cipherState = require('noise-protocol/cipher-state')({ cipher });

const ROUNDS = 3;
const [role, bArg, rsHex] = process.argv.slice(2);
const B = Number(bArg);
if (!['initiator', 'responder'].includes(role) || !(B >= 1024 && B <= 65535) ||
    (role === 'initiator' && !/^[0-9a-f]{64}$/.test(rsHex || ''))) {
  console.error('usage: node noise-peer.js initiator <B> <relay key hex> | responder <B>');
  process.exit(2);
}

const prologue = Buffer.alloc(14);
prologue.write('sealpost/1', 0, 'ascii');
prologue.writeUInt32BE(B, 10);

const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const send = (...fields) => process.stdout.write(fields.join(' ') + '\n');
const fail = (reason) => { send('fail', reason.replace(/\s+/g, '_')); process.exit(1); };

async function expect (tag) {
  const next = await lines.next();
  if (next.done) fail(`eof while waiting for ${tag}`);
  const parts = next.value.trim().split(' ');
  if (parts[0] !== tag) fail(`expected ${tag}, got ${parts[0]}`);
  return parts.slice(1).map((h) => Buffer.from(h, 'hex'));
}

function writeHandshake (state, tag) {
  const payload = randomBytes(B - 48);
  const message = Buffer.alloc(B);
  const split = noise.writeMessage(state, payload, message);
  if (noise.writeMessage.bytes !== B) fail(`${tag} is ${noise.writeMessage.bytes} bytes, not B`);
  send(tag, message.toString('hex'), payload.toString('hex'));
  return split;
}

async function readHandshake (state, tag) {
  const [message, expected] = await expect(tag);
  if (message.length !== B) fail(`${tag} is ${message.length} bytes, not B`);
  const payload = Buffer.alloc(B - 48);
  let split;
  try {
    split = noise.readMessage(state, message, payload);
  } catch (e) {
    fail(`${tag} rejected: ${e.message}`);
  }
  if (noise.readMessage.bytes !== B - 48) fail(`${tag} payload is not B-48 bytes`);
  if (!payload.equals(expected)) fail(`${tag} payload differs`);
  return split;
}

function sendBlock (tx) {
  const plaintext = randomBytes(B - 16);
  const block = Buffer.alloc(B);
  cipherState.encryptWithAd(tx, block, Buffer.alloc(0), plaintext);
  send('t', block.toString('hex'), plaintext.toString('hex'));
}

async function receiveBlock (rx) {
  const [block, expected] = await expect('t');
  if (block.length !== B) fail(`transport block is ${block.length} bytes, not B`);
  const plaintext = Buffer.alloc(B - 16);
  try {
    cipherState.decryptWithAd(rx, plaintext, Buffer.alloc(0), block);
  } catch (e) {
    fail(`transport block rejected: ${e.message}`);
  }
  if (!plaintext.equals(expected)) fail('transport plaintext differs');
}

// noise-protocol 3.0.2 orients Split() by who wrote the last handshake message (that side gets
// tx = c1), not by role as the Noise spec (rev 34, section 5.3) requires: c1 always protects
// initiator -> responder. In NK the responder writes the last message, so the package's {tx, rx}
// are swapped relative to the spec on both sides; the cacophony vectors (CacophonyVectorsTest)
// pin the spec's orientation. Re-orient here so this peer speaks standard Noise.
function specOriented (split) {
  return { tx: split.rx, rx: split.tx };
}

async function main () {
  let split;
  if (role === 'initiator') {
    const state = noise.initialize('NK', true, prologue, null, null, Buffer.from(rsHex, 'hex'));
    writeHandshake(state, 'hs1');
    split = specOriented(await readHandshake(state, 'hs2'));
    noise.destroy(state);
    for (let i = 0; i < ROUNDS; i++) {
      sendBlock(split.tx);
      await receiveBlock(split.rx);
    }
  } else {
    const keys = noise.keygen();
    send('pub', Buffer.from(keys.publicKey).toString('hex'));
    const state = noise.initialize('NK', false, prologue, keys);
    await readHandshake(state, 'hs1');
    split = specOriented(writeHandshake(state, 'hs2'));
    noise.destroy(state);
    for (let i = 0; i < ROUNDS; i++) {
      await receiveBlock(split.rx);
      sendBlock(split.tx);
    }
  }
  if (!split) fail('no split after the handshake');
  send('done', String(ROUNDS));
  process.exit(0);
}

main().catch((e) => fail(`error: ${e && e.message}`));
