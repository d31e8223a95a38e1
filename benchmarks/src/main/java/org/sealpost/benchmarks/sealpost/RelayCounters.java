package org.sealpost.benchmarks.sealpost;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The relay's own block and push counters, read from its admin {@code /metrics} (Prometheus text)
 * on 127.0.0.1: how many blocks a delivered message costs is the figure batching is judged by.
 *
 * @param sends Sends answered Ok (each answer is a small frame in some block to a sender)
 * @param acks Acks handled (issue 13: unanswered; each is a small frame in a block from a
 *     recipient)
 */
public record RelayCounters(
    double blocksIn, double blocksOut, double messagesPushed, double sends, double acks) {

  /** Reads the counters of the relay whose admin server listens on 127.0.0.1:{@code port}. */
  public static RelayCounters read(int port) throws IOException, InterruptedException {
    return parse(scrape(port));
  }

  /**
   * The Prometheus text of every counter the relay exports, read from 127.0.0.1:{@code port}. Plain
   * HTTP/1.1 with a hard bound: a JDK client's default HTTP/2 upgrade request once hung here past
   * its own timeout, with the relay answering other clients at once (2026-12-06).
   */
  public static String scrape(int port) throws IOException, InterruptedException {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    try {
      return http.sendAsync(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .get(15, TimeUnit.SECONDS)
          .body();
    } catch (ExecutionException e) {
      throw new IOException("reading the relay's metrics failed", e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("the relay's metrics did not arrive in 15 s", e);
    }
  }

  /** The counters in a {@link #scrape}. */
  public static RelayCounters parse(String text) {
    return new RelayCounters(
        sum(text, "sealpost_blocks_in_total", ""),
        sum(text, "sealpost_blocks_out_total", ""),
        sum(text, "sealpost_pushes_total", "kind=\"message\""),
        sum(text, "sealpost_commands_total", "command=\"send\",outcome=\"ok\""),
        sum(text, "sealpost_commands_total", "command=\"ack\",outcome=\"ok\""));
  }

  /**
   * Issue 13 item 2: the blocks of a phase by what they carry. A pushed envelope fills more than
   * half a block, so no block carries two pushes and every push has a block of its own: the blocks
   * out beyond the pushes carry only small frames (the Oks of Sends, a Pong). Likewise every Send
   * has a block of its own upstream, and the blocks in beyond the Sends carry Acks (and Pings).
   */
  public String breakdown() {
    double otherOut = blocksOut - messagesPushed;
    double otherIn = blocksIn - sends;
    return String.format(
        Locale.ROOT,
        "%.2f blocks out per message pushed = 1 push + %.2f blocks without a push (%,.0f, carrying"
            + " %,.0f Oks of Sends: %.1f per block); %.2f blocks in per message = 1 Send + %.2f"
            + " blocks without a Send (%,.0f, carrying %,.0f Acks: %.1f per block)",
        blocksOut / messagesPushed,
        otherOut / messagesPushed,
        otherOut,
        sends,
        otherOut > 0 ? sends / otherOut : 0,
        blocksIn / messagesPushed,
        otherIn / messagesPushed,
        otherIn,
        acks,
        otherIn > 0 ? acks / otherIn : 0);
  }

  /** The counts between {@code earlier} and this reading. */
  public RelayCounters since(RelayCounters earlier) {
    return new RelayCounters(
        blocksIn - earlier.blocksIn,
        blocksOut - earlier.blocksOut,
        messagesPushed - earlier.messagesPushed,
        sends - earlier.sends,
        acks - earlier.acks);
  }

  /** The sum of {@code name}'s samples in a {@link #scrape} whose labels contain {@code label}. */
  public static double sum(String text, String name, String label) {
    double total = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(name) && (label.isEmpty() || line.contains(label))) {
        String rest = line.substring(name.length());
        if (rest.startsWith("{") || rest.startsWith(" ")) {
          total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    }
    return total;
  }
}
