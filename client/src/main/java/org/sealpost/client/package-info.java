/**
 * The Sealpost client library: connect to relays (Noise NK pinned to the relay key in the address),
 * create and secure mailboxes, send sealed envelopes, subscribe and receive with acknowledgements,
 * and keep credentials in a {@link org.sealpost.client.Keystore}.
 *
 * <p>Public API: {@link org.sealpost.client.SealpostClient}, {@link
 * org.sealpost.client.RelayConnection}, {@link org.sealpost.client.Mailbox}, {@link
 * org.sealpost.client.MessageHandler}, {@link org.sealpost.client.ReceivedMessage}, {@link
 * org.sealpost.client.RelayInfo}, {@link org.sealpost.client.Keystore}, {@link
 * org.sealpost.client.ClientOptions}, and {@link org.sealpost.client.SealpostException} with its
 * closed {@link org.sealpost.client.ClientError} codes. {@code org.sealpost.client.internal} is the
 * implementation and may change at any time.
 */
package org.sealpost.client;
