/**
 * Implementation of the client library: the Noise session over a WebSocket, frame batching,
 * reconnection and duplicate dropping. Not an API.
 */
package org.sealpost.client.internal;
