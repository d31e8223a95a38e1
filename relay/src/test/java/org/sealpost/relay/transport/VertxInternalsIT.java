package org.sealpost.relay.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.net.impl.VertxHandler;
import java.lang.reflect.Field;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VertxInternalsIT {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void acceptedWebSocketDropsTheUpgradeFactoryAndStillEchoes() throws Exception {
    assertThat(VertxInternals.upgradeResidueReleasable()).isTrue();
    CompletableFuture<Object> factoryBefore = new CompletableFuture<>();
    CompletableFuture<Object> factoryAfter = new CompletableFuture<>();
    CompletableFuture<Boolean> released = new CompletableFuture<>();
    HttpServer server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
            .webSocketHandler(
                ws -> {
                  ChannelPipeline pipeline =
                      ((WebSocketInternal) ws).channelHandlerContext().pipeline();
                  factoryBefore.complete(factory(pipeline));
                  released.complete(VertxInternals.releaseUpgradeResidue(pipeline));
                  factoryAfter.complete(factory(pipeline));
                  ws.binaryMessageHandler(ws::write);
                });
    server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocket ws =
        client
            .connect(server.actualPort(), "127.0.0.1", "/v1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    CompletableFuture<Buffer> echo = new CompletableFuture<>();
    ws.binaryMessageHandler(echo::complete);
    ws.writeBinaryMessage(Buffer.buffer(new byte[] {1, 2, 3}));

    assertThat(echo.get(10, TimeUnit.SECONDS).getBytes()).containsExactly(1, 2, 3);
    assertThat(released.get(10, TimeUnit.SECONDS)).isTrue();
    Object before = factoryBefore.get(10, TimeUnit.SECONDS);
    Object after = factoryAfter.get(10, TimeUnit.SECONDS);
    assertThat(after).isNotSameAs(before);
    // the replacement holds nothing: a lambda without captured state, refusing to run
    assertThat(after.getClass().getDeclaredFields()).isEmpty();
    @SuppressWarnings("unchecked")
    Function<ChannelHandlerContext, ?> spent = (Function<ChannelHandlerContext, ?>) after;
    assertThatThrownBy(() -> spent.apply(null)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void pipelineWithoutVertxHandlerIsLeftAlone() throws Exception {
    EmbeddedChannel channel = new EmbeddedChannel();
    assertThat(VertxInternals.releaseUpgradeResidue(channel.pipeline())).isFalse();
    channel.finishAndReleaseAll();
  }

  private static Object factory(ChannelPipeline pipeline) {
    try {
      Field f = VertxHandler.class.getDeclaredField("connectionFactory");
      f.setAccessible(true);
      return f.get(pipeline.get(VertxHandler.class));
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
