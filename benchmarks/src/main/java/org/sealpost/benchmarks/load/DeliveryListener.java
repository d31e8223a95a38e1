package org.sealpost.benchmarks.load;

/** Receives each delivered message; called on a driver thread, must not block. */
@FunctionalInterface
public interface DeliveryListener {
  void onDelivery(int recipient, byte[] content);
}
