package org.sealpost.lab.trace;

/**
 * Ground truth for one message, kept apart from the adversary views: who sent it to whom, when the
 * sender's client wrote it, and when the recipient's client received it ({@code -1}: never).
 */
public record Message(
    long id,
    int sender,
    int recipient,
    long sentMicros,
    long deliveredMicros,
    boolean recipientOnline) {

  public boolean delivered() {
    return deliveredMicros >= 0;
  }
}
