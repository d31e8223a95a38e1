package org.sealpost.relay.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.mailbox.MailboxStore;
import org.sealpost.mailbox.rocksdb.RocksMailboxStore;
import org.sealpost.relay.RelayMain;
import org.sealpost.relay.backup.AdminToken;
import org.sealpost.relay.backup.Snapshots;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.process.DataDirectory;
import org.sealpost.relay.protocol.ProtocolApplication;
import org.sealpost.relay.queue.ClusterBackend;

/**
 * {@code sealpost relay backup --out DIR [--config FILE] [--<setting> VALUE ...]}: a consistent
 * snapshot of the data directory (store, relay key, store key, marker; a cluster node's shard
 * directories in place of the store) copied to {@code DIR}, which is then a data directory a relay
 * can start on. With the relay running it asks the relay through its admin port ({@code POST
 * /backup}, authorised by the admin token in the data directory); with the relay stopped it opens
 * the stores itself. Run it as the relay's user.
 */
public final class BackupTool extends RelayTool {
  private static final Duration SNAPSHOT_BOUND = Duration.ofMinutes(30);

  public BackupTool(PrintStream out, PrintStream err) {
    super(out, err);
  }

  /** Returns the exit code: 0, 2 (configuration or usage), 3 (no backup was made). */
  @Override
  public int run(List<String> args, Map<String, String> env) {
    if (args.contains("--help") || args.contains("-h")) {
      out.println("Usage: sealpost relay backup --out DIR [--config FILE] [--<setting> VALUE ...]");
      out.println("Copies a consistent snapshot of the data directory to DIR (new or empty),");
      out.println("through the running relay's admin port, or directly when the relay is stopped.");
      return RelayMain.EXIT_OK;
    }
    List<String> rest = new ArrayList<>(args);
    Optional<Path> target = takeOut(rest);
    if (target.isEmpty()) {
      err.println("backup needs --out DIR (a new or empty directory)");
      return RelayMain.EXIT_CONFIG;
    }
    Optional<RelayConfig> loaded = load(rest, env);
    if (loaded.isEmpty()) {
      return RelayMain.EXIT_CONFIG;
    }
    RelayConfig config = loaded.get();
    Path dataDir = config.dataDir();
    try {
      DataDirectory.inspect(dataDir);
      boolean online = snapshot(config);
      Path staging = dataDir.resolve(Snapshots.STAGING);
      long bytes;
      try {
        bytes = Snapshots.copyTree(staging, target.get());
      } finally {
        Snapshots.deleteTree(staging);
      }
      out.println(
          "backup of "
              + dataDir
              + " written to "
              + target.get()
              + " ("
              + bytes
              + " bytes, "
              + (online ? "from the running relay" : "relay stopped")
              + ")");
      return RelayMain.EXIT_OK;
    } catch (DataDirectory.DataDirectoryException | BackupException e) {
      err.println("cannot back up: " + e.getMessage());
    } catch (IOException e) {
      err.println("cannot back up: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (MailboxException e) {
      err.println("cannot back up: the store: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("cannot back up: interrupted");
    }
    return RelayMain.EXIT_START;
  }

  private static Optional<Path> takeOut(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith("--out=")) {
        args.remove(i);
        return Optional.of(Path.of(a.substring(6)));
      }
      if (a.equals("--out") && i + 1 < args.size()) {
        args.remove(i);
        return Optional.of(Path.of(args.remove(i)));
      }
    }
    return Optional.empty();
  }

  /**
   * Stages the snapshot in the data directory: through the running relay, or, if none answers on
   * the admin port, by opening the stores here. Returns whether the relay made it.
   */
  private boolean snapshot(RelayConfig config) throws IOException, InterruptedException {
    String token;
    try {
      token = AdminToken.read(config.dataDir());
    } catch (NoSuchFileException e) {
      token = null; // a data directory that no running relay has used yet
    }
    if (token != null && config.adminPort() != 0) {
      HttpRequest request =
          HttpRequest.newBuilder(adminUri(config))
              .timeout(SNAPSHOT_BOUND)
              .header("Authorization", "Bearer " + token)
              .POST(HttpRequest.BodyPublishers.noBody())
              .build();
      try {
        HttpResponse<String> response =
            HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .build()
                .send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          throw new BackupException(
              "the relay answered "
                  + response.statusCode()
                  + ": "
                  + response.body().lines().findFirst().orElse(""));
        }
        return true;
      } catch (ConnectException e) {
        // no relay on the admin port: the stores are opened here (their locks refuse a running one)
      }
    }
    stageStopped(config);
    if (Files.notExists(config.dataDir().resolve(Snapshots.STAGING))) {
      throw new BackupException("no snapshot was written");
    }
    return false;
  }

  /**
   * Opens the stores of a stopped relay (a cluster node: every shard store in its data directory,
   * each with its own key, as the node opens them) and stages the snapshot; closes them again.
   */
  private static void stageStopped(RelayConfig config) throws IOException {
    Path dataDir = config.dataDir();
    List<RocksMailboxStore> opened = new ArrayList<>();
    try {
      if (!config.cluster().enabled()) {
        RocksMailboxStore store =
            RocksMailboxStore.opener(ProtocolApplication.mailboxConfig(config, false)).open();
        opened.add(store);
        Snapshots.stage(dataDir, store);
        return;
      }
      // issue 14: a node has no store of its own, only its shards'
      Map<Integer, MailboxStore> shards = new TreeMap<>();
      for (int shard : shardsOnDisk(dataDir)) {
        Path dir = ClusterBackend.shardDir(dataDir, shard);
        RocksMailboxStore store =
            RocksMailboxStore.opener(
                    ProtocolApplication.mailboxConfig(
                        config, dir.resolve("store"), dir.resolve("store.key"), false))
                .open();
        opened.add(store);
        shards.put(shard, store);
      }
      Snapshots.stageShards(dataDir, shards);
    } catch (MailboxException e) {
      if (config.adminPort() == 0
          && e.openFailure().equals(Optional.of(MailboxException.OpenFailure.IN_USE))) {
        throw new BackupException(
            "the store is in use and admin.port is 0 (any free port): name the running relay's"
                + " admin port with --admin-port");
      }
      throw e;
    } finally {
      opened.forEach(RocksMailboxStore::close);
    }
  }

  /** The shards whose directories a cluster node's data directory holds, by number. */
  private static List<Integer> shardsOnDisk(Path dataDir) throws IOException {
    Path root = ClusterBackend.shardsDir(dataDir);
    List<Integer> shards = List.of();
    if (Files.isDirectory(root)) {
      try (Stream<Path> dirs = Files.list(root)) {
        shards =
            dirs.filter(Files::isDirectory)
                .map(dir -> dir.getFileName().toString())
                .filter(name -> name.matches("[0-9]{1,9}"))
                .map(Integer::valueOf)
                .sorted()
                .toList();
      }
    }
    if (shards.isEmpty()) {
      // as the running node answers 503 without a shard store: nothing to restore from
      throw new BackupException("this cluster node's data directory holds no shard in " + root);
    }
    return shards;
  }

  private static URI adminUri(RelayConfig config) {
    String host = config.adminHost();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + config.adminPort() + "/backup");
  }

  private static final class BackupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BackupException(String message) {
      super(message);
    }
  }
}
