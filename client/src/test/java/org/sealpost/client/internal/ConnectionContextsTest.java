package org.sealpost.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connections opened from a plain thread spread over the event loops; on a context they stay. */
class ConnectionContextsTest {
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static String threadOf(Context context) throws Exception {
    CompletableFuture<String> name = new CompletableFuture<>();
    context.runOnContext(v -> name.complete(Thread.currentThread().getName()));
    return name.get(10, TimeUnit.SECONDS);
  }

  @Test
  void connectionsOpenedFromOnePlainThreadUseEveryEventLoop() throws Exception {
    Set<String> threads = new HashSet<>();
    for (int i = 0; i < 8; i++) {
      threads.add(threadOf(ConnectionContexts.forNewConnection(vertx)));
    }
    // Vert.x's own getOrCreateContext() from this thread would give one event loop for all eight
    assertEquals(4, threads.size(), threads.toString());
  }

  @Test
  void aConnectionOpenedOnAContextStaysOnIt() throws Exception {
    Context caller = vertx.getOrCreateContext();
    CompletableFuture<Context> chosen = new CompletableFuture<>();
    caller.runOnContext(v -> chosen.complete(ConnectionContexts.forNewConnection(vertx)));
    assertSame(caller, chosen.get(10, TimeUnit.SECONDS));
  }

  @Test
  void aContextOfAnotherVertxIsNotBorrowed() throws Exception {
    Vertx other = Vertx.vertx();
    try {
      Context foreign = other.getOrCreateContext();
      CompletableFuture<Context> chosen = new CompletableFuture<>();
      foreign.runOnContext(v -> chosen.complete(ConnectionContexts.forNewConnection(vertx)));
      Context c = chosen.get(10, TimeUnit.SECONDS);
      assertSame(vertx, c.owner());
    } finally {
      other.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
