package org.sealpost.relay.forward;

import java.util.concurrent.CompletableFuture;

/**
 * One client's forwarded request inside the pool: the sealed bytes and the future its {@code
 * Forward} waits on. Completed once, from whichever thread gets there first (reply, error, close or
 * deadline); later completions are ignored.
 */
final class ForwardRequest {
  final byte[] sealedRequest;
  final CompletableFuture<ForwardOutcome> result = new CompletableFuture<>();

  ForwardRequest(byte[] sealedRequest) {
    this.sealedRequest = sealedRequest;
  }

  boolean done() {
    return result.isDone();
  }

  void reply(byte[] sealedReply) {
    result.complete(new ForwardOutcome(sealedReply));
  }

  void fail(ForwardException failure) {
    result.completeExceptionally(failure);
  }
}
