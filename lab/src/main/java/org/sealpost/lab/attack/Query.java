package org.sealpost.lab.attack;

/**
 * What the adversary is asked about one message: "this address sent a block at this time (it was a
 * message); to whom?". The time is the sender's first upstream block at or after the client wrote
 * the message, as the network observer saw it.
 */
public record Query(int sender, long atMicros) {}
