/**
 * The Noise Protocol Framework (revision 34) and the Sealpost session built on it.
 *
 * <p>Public API for the relay and the client: {@link org.sealpost.proto.crypto.noise.NoiseSession}
 * with its two sides {@link org.sealpost.proto.crypto.noise.NoiseInitiator} (client), {@link
 * org.sealpost.proto.crypto.noise.NoiseResponder} (relay), {@link
 * org.sealpost.proto.crypto.noise.NoiseTransport} (fixed-size B-byte blocks after the handshake)
 * and {@link org.sealpost.proto.crypto.noise.NoiseSuite}; keys are {@link
 * org.sealpost.proto.crypto.X25519KeyPair}s. Every failure is a {@link
 * org.sealpost.proto.crypto.noise.NoiseException} with a closed {@code Reason}.
 *
 * <p>The generic core ({@link org.sealpost.proto.crypto.noise.HandshakeState}, {@link
 * org.sealpost.proto.crypto.noise.CipherState}, {@link
 * org.sealpost.proto.crypto.noise.NoiseProtocol}) runs any fundamental or one-way pattern with DH
 * 25519, ciphers AESGCM and ChaChaPoly, hashes SHA256, SHA512, BLAKE2s and BLAKE2b; it is proven
 * against the cacophony test vectors.
 *
 * <p>Thread model: sessions, handshake states and cipher states are used by one thread at a time (a
 * connection's event loop); they are not thread-safe. {@link
 * org.sealpost.proto.crypto.X25519KeyPair} and {@link org.sealpost.proto.crypto.noise.NoiseSuite}
 * are immutable and may be shared.
 */
package org.sealpost.proto.crypto.noise;
