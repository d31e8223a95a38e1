package org.sealpost.benchmarks.load;

/** A connected, subscribed recipient; closing it disconnects without losing stored messages. */
public interface RecipientSession extends AutoCloseable {
  @Override
  void close();
}
