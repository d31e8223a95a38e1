package org.sealpost.cli;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.sealpost.client.ClientError;
import org.sealpost.client.SealpostException;

/** Waiting on stages in tests, with a generous bound instead of sleeping. */
final class Await {
  private Await() {}

  static <T> T get(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** The client error a stage failed with; fails the test if it succeeded. */
  static ClientError error(CompletionStage<?> stage) throws Exception {
    try {
      stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SealpostException se) {
        return se.error();
      }
      throw e;
    }
    throw new AssertionError("expected the operation to fail");
  }

  static SealpostException failure(CompletionStage<?> stage) throws Exception {
    try {
      stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SealpostException se) {
        return se;
      }
      throw e;
    }
    throw new AssertionError("expected the operation to fail");
  }
}
