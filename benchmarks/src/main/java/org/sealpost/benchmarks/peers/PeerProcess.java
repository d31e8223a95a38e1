package org.sealpost.benchmarks.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A peer started by its script in {@code benchmarks/peers/<name>/}: runs {@code start}, reads the
 * daemons' pids, version and durability statement the script wrote into the peer's work dir, and
 * runs {@code stop} (which also removes the data).
 */
public final class PeerProcess implements AutoCloseable {
  private final Path scripts;
  private final Path workDir;
  private final String name;
  private boolean stopped;

  private PeerProcess(Path scripts, Path workDir, String name) {
    this.scripts = scripts;
    this.workDir = workDir;
    this.name = name;
  }

  /** Runs {@code <scripts>/<name>/start <args...>} and returns the started peer. */
  public static PeerProcess start(Path scripts, Path peersDir, String name, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(scripts.resolve(name).resolve("start").toString());
    cmd.addAll(List.of(args));
    run(cmd, peersDir, Duration.START);
    return new PeerProcess(scripts, peersDir.resolve(name), name);
  }

  /** Pids of the daemons the script started (their children are found through /proc). */
  public List<Integer> pids() throws IOException {
    List<Integer> out = new ArrayList<>();
    for (String line : Files.readAllLines(workDir.resolve("pids"))) {
      if (!line.isBlank()) {
        out.add(Integer.parseInt(line.trim()));
      }
    }
    return out;
  }

  public String version() throws IOException {
    return Files.readString(workDir.resolve("version")).trim();
  }

  public String durability() throws IOException {
    return Files.readString(workDir.resolve("durability")).trim();
  }

  public Path workDir() {
    return workDir;
  }

  /**
   * Runs another script of this peer, e.g. {@code stop --keep} then {@code start ... --keep-data}
   * to restart it on its data.
   */
  public void script(String script, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(scripts.resolve(name).resolve(script).toString());
    cmd.addAll(List.of(args));
    run(cmd, workDir.getParent(), Duration.START);
  }

  @Override
  public void close() throws IOException {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      run(
          List.of(scripts.resolve(name).resolve("stop").toString()),
          workDir.getParent(),
          Duration.STOP);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping the peer", e);
    }
  }

  private enum Duration {
    START(300),
    STOP(600);
    final int seconds;

    Duration(int seconds) {
      this.seconds = seconds;
    }
  }

  private static void run(List<String> cmd, Path peersDir, Duration limit)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("SEALPOST_PEERS_DIR", peersDir.toString());
    pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    if (!p.waitFor(limit.seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new PeerException(
          PeerException.Code.SCRIPT_FAILED, String.join(" ", cmd) + " did not finish in time");
    }
    if (p.exitValue() != 0) {
      throw new PeerException(
          PeerException.Code.SCRIPT_FAILED, String.join(" ", cmd) + " exited " + p.exitValue());
    }
  }
}
