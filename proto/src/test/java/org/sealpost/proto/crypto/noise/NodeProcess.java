package org.sealpost.proto.crypto.noise;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Node.js child process in src/test/node, spoken to in lines over stdin/stdout. Every wait has a
 * timeout; {@link #close()} kills the process, so a failing test never leaves it running. A missing
 * {@code node} binary fails the test (it is never skipped).
 */
final class NodeProcess implements AutoCloseable {
  static final Path NODE_DIR = Path.of("src", "test", "node");
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String EOF = "\u0000eof";

  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
  private final StringBuffer stderr = new StringBuffer();
  private final List<String> transcript = new ArrayList<>();

  private NodeProcess(Process process) {
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
    pump(process.getInputStream(), "node-stdout", stdout::add);
    pump(process.getErrorStream(), "node-stderr", line -> stderr.append(line).append('\n'));
  }

  /** Starts {@code node <script> <args...>} in src/test/node. */
  static NodeProcess start(String script, String... args) {
    List<String> command = new ArrayList<>(List.of("node", script));
    command.addAll(List.of(args));
    try {
      return new NodeProcess(new ProcessBuilder(command).directory(NODE_DIR.toFile()).start());
    } catch (IOException e) {
      throw new AssertionError(
          "cannot start node (Node.js must be installed; this test never skips): " + e, e);
    }
  }

  private static void pump(InputStream in, String name, java.util.function.Consumer<String> sink) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
                String line;
                while ((line = r.readLine()) != null) {
                  sink.accept(line);
                }
              } catch (IOException e) {
                // the process was killed: end of stream
              } finally {
                sink.accept(EOF);
              }
            },
            name);
    t.setDaemon(true);
    t.start();
  }

  /** Reads the next stdout line, failing the test on timeout or end of stream. */
  String readLine() {
    String line;
    try {
      line = stdout.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    if (line == null) {
      return fail("node peer sent nothing for %s; %s", TIMEOUT, diagnostics());
    }
    if (line.equals(EOF)) {
      return fail("node peer closed its output; %s", diagnostics());
    }
    transcript.add(abbreviate(line));
    return line;
  }

  /** Reads a line and splits it into a tag and hex fields; fails on a {@code fail} line. */
  String[] read(String expectedTag) {
    String[] parts = readLine().split(" ");
    if (!parts[0].equals(expectedTag)) {
      fail("expected '%s' from the node peer; %s", expectedTag, diagnostics());
    }
    return parts;
  }

  void writeLine(String line) {
    transcript.add("> " + abbreviate(line));
    try {
      stdin.write(line);
      stdin.write('\n');
      stdin.flush();
    } catch (IOException e) {
      fail("cannot write to the node peer (%s); %s", e, diagnostics());
    }
  }

  /** Waits for the exit status, killing the process and failing on timeout. */
  int exitCode() {
    try {
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        fail("node peer did not exit within %s; %s", TIMEOUT, diagnostics());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    return process.exitValue();
  }

  /** All stdout lines until the end of the stream (after the process exited). */
  List<String> remainingLines() {
    List<String> lines = new ArrayList<>();
    while (true) {
      String line = Optional.ofNullable(pollQuietly()).orElse(EOF);
      if (line.equals(EOF)) {
        return lines;
      }
      lines.add(line);
    }
  }

  private String pollQuietly() {
    try {
      return stdout.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  String diagnostics() {
    return "transcript " + transcript + ", stderr: " + stderr;
  }

  private static String abbreviate(String line) {
    return line.length() > 80 ? line.substring(0, 80) + "...(" + line.length() + ")" : line;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
