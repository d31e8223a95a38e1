package org.sealpost.benchmarks.sealpost;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The relay's own block and push counters, read from its admin {@code /metrics} (Prometheus text)
 * on 127.0.0.1: how many blocks a delivered message costs is the figure batching is judged by.
 */
public record RelayCounters(double blocksIn, double blocksOut, double messagesPushed) {

  /** Reads the counters of the relay whose admin server listens on 127.0.0.1:{@code port}. */
  public static RelayCounters read(int port) throws IOException, InterruptedException {
    return parse(scrape(port));
  }

  /** The Prometheus text of every counter the relay exports, read from 127.0.0.1:{@code port}. */
  public static String scrape(int port) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** The counters in a {@link #scrape}. */
  public static RelayCounters parse(String text) {
    return new RelayCounters(
        sum(text, "sealpost_blocks_in_total", ""),
        sum(text, "sealpost_blocks_out_total", ""),
        sum(text, "sealpost_pushes_total", "kind=\"message\""));
  }

  /** The counts between {@code earlier} and this reading. */
  public RelayCounters since(RelayCounters earlier) {
    return new RelayCounters(
        blocksIn - earlier.blocksIn,
        blocksOut - earlier.blocksOut,
        messagesPushed - earlier.messagesPushed);
  }

  private static double sum(String text, String name, String label) {
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
