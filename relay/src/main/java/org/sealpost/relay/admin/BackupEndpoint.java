package org.sealpost.relay.admin;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.sealpost.mailbox.MailboxStore;
import org.sealpost.relay.backup.AdminToken;
import org.sealpost.relay.backup.Snapshots;

/**
 * {@code POST /backup} on the admin server: with {@code Authorization: Bearer <admin token>},
 * stages a snapshot of the data directory ({@link Snapshots#stage}, or for a cluster node {@link
 * Snapshots#stageShards} over its own shard stores) on a worker thread and answers 200 with the
 * staging directory's name; 401 without the token, 409 while another snapshot runs, 503 before the
 * stores are open, 500 if the snapshot fails (logged by exception type).
 */
public final class BackupEndpoint {
  private static final Logger LOG = Logger.getLogger(BackupEndpoint.class.getName());

  private final Vertx vertx;
  private final Path dataDir;
  private final AdminToken token;
  private final Supplier<Optional<MailboxStore>> store;
  private final Supplier<Map<Integer, MailboxStore>> shards;
  private final AtomicBoolean running = new AtomicBoolean();

  /**
   * @param store a single relay's store once open
   * @param shards a cluster node's own shard stores once open (issue 14); empty for a single relay
   */
  public BackupEndpoint(
      Vertx vertx,
      Path dataDir,
      AdminToken token,
      Supplier<Optional<MailboxStore>> store,
      Supplier<Map<Integer, MailboxStore>> shards) {
    this.vertx = vertx;
    this.dataDir = dataDir;
    this.token = token;
    this.store = store;
    this.shards = shards;
  }

  void handle(HttpServerRequest req) {
    String auth = req.getHeader("Authorization");
    if (auth == null || !auth.startsWith("Bearer ") || !token.matches(auth.substring(7))) {
      req.response().setStatusCode(401).end("the admin token is missing or wrong\n");
      return;
    }
    Optional<MailboxStore> open = store.get();
    Map<Integer, MailboxStore> openShards = shards.get();
    if (open.isEmpty() && openShards.isEmpty()) {
      req.response().setStatusCode(503).end("the store is not open\n");
      return;
    }
    if (!running.compareAndSet(false, true)) {
      req.response().setStatusCode(409).end("a snapshot is being made\n");
      return;
    }
    vertx
        .executeBlocking(
            () ->
                open.isPresent()
                    ? Snapshots.stage(dataDir, open.get())
                    : Snapshots.stageShards(dataDir, openShards))
        .onComplete(
            ar -> {
              running.set(false);
              if (ar.succeeded()) {
                req.response()
                    .putHeader("Content-Type", "text/plain")
                    .end(ar.result().getFileName() + "\n");
              } else {
                LOG.log(
                    Level.WARNING,
                    "backup snapshot failed: {0}",
                    ar.cause().getClass().getSimpleName());
                req.response()
                    .setStatusCode(500)
                    .end("snapshot failed: " + ar.cause().getClass().getSimpleName() + "\n");
              }
            });
  }
}
