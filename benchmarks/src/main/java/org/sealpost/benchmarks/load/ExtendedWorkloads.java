package org.sealpost.benchmarks.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The Sealpost-only workloads W3 (memory per idle subscribed connection and per stored idle queue)
 * and W4 (one client resubscribing many queues). The peers (NATS, Postfix+Dovecot, Prosody) have no
 * equivalent and do not implement this; the report says "not applicable" for them.
 */
public interface ExtendedWorkloads {

  /** W3a: opens {@code connections} idle connections, each subscribed to its own queue. */
  IdleConnections idleConnections(int connections) throws Exception;

  /** W3b: adds {@code queues} idle queues to the relay's store and restarts it on them. */
  IdleQueues idleQueues(int queues) throws Exception;

  /**
   * W4: {@code rounds} times, one client holding {@code queues} queues opens a new connection and
   * subscribes all of them; each round is timed from the connect to the last Ok.
   */
  Resubscribe resubscribe(int queues, int rounds) throws Exception;

  /**
   * The relay process's memory after a full GC.
   *
   * @param rssBytes resident set ({@code VmRSS}): everything, including RocksDB's native memory
   * @param nmtCommittedBytes JVM native memory tracking, total committed (heap included; RocksDB's
   *     allocations are not tracked by the JVM)
   * @param heapUsedBytes Java heap in use after the GC
   * @param nmtCommittedByCategory NMT's committed bytes by category ("Java Heap", "Thread",
   *     "Other", ...): where a change of the total went
   */
  record Memory(
      long rssBytes,
      long nmtCommittedBytes,
      long heapUsedBytes,
      Map<String, Long> nmtCommittedByCategory) {
    public Memory {
      nmtCommittedByCategory = Map.copyOf(nmtCommittedByCategory);
    }
  }

  /**
   * @param openSeconds time to connect, handshake and subscribe all of them
   * @param jvmFlags the relay's JVM flags
   */
  record IdleConnections(
      int connections, Memory before, Memory after, double openSeconds, String jvmFlags) {
    public double rssPerConnection() {
      return (after.rssBytes() - before.rssBytes()) / (double) connections;
    }

    public double nmtPerConnection() {
      return (after.nmtCommittedBytes() - before.nmtCommittedBytes()) / (double) connections;
    }

    public double heapPerConnection() {
      return (after.heapUsedBytes() - before.heapUsedBytes()) / (double) connections;
    }

    /**
     * NMT's committed bytes per connection by category, the largest changes first (at most {@code
     * max}, those of at least 256 B either way).
     */
    public Map<String, Double> nmtCategoriesPerConnection(int max) {
      Map<String, Double> out = new LinkedHashMap<>();
      TreeSet<String> names = new TreeSet<>(before.nmtCommittedByCategory().keySet());
      names.addAll(after.nmtCommittedByCategory().keySet());
      names.stream()
          .map(
              n ->
                  Map.entry(
                      n,
                      (after.nmtCommittedByCategory().getOrDefault(n, 0L)
                              - before.nmtCommittedByCategory().getOrDefault(n, 0L))
                          / (double) connections))
          .filter(e -> Math.abs(e.getValue()) >= 256)
          .sorted((a, b) -> Double.compare(Math.abs(b.getValue()), Math.abs(a.getValue())))
          .limit(max)
          .forEach(e -> out.put(e.getKey(), e.getValue()));
      return out;
    }
  }

  /**
   * @param before the relay restarted on its data before the queues were added
   * @param after the relay restarted with the queues added
   * @param diskBytesBefore size of the store directory before
   * @param diskBytesAfter size of the store directory after
   * @param fillSeconds time to add the queues (relay stopped, store opened directly)
   */
  record IdleQueues(
      int queues,
      Memory before,
      Memory after,
      long diskBytesBefore,
      long diskBytesAfter,
      double fillSeconds,
      String jvmFlags) {
    public double rssPerQueue() {
      return (after.rssBytes() - before.rssBytes()) / (double) queues;
    }

    public double nmtPerQueue() {
      return (after.nmtCommittedBytes() - before.nmtCommittedBytes()) / (double) queues;
    }

    public double diskPerQueue() {
      return (diskBytesAfter - diskBytesBefore) / (double) queues;
    }
  }

  /**
   * W5: {@code clients} connections, each subscribed to its own queue and some with messages
   * pending, see the relay restarted; all reconnect at once, resubscribe and receive what waits.
   *
   * @param clientsWithPending clients that have {@code pendingPerClient} messages waiting
   * @param restartSeconds from the stop of the relay to its start script returning (listening)
   * @param resubscribedSeconds from the relay listening to the last resubscription answered
   * @param halfDoneSeconds from the relay listening to half the clients done (the median client)
   * @param stormSeconds from the relay listening to the last client done (resubscribed and every
   *     pending message received), or to the timeout when not complete
   * @param clientsDone clients that finished
   * @param delivered distinct pending messages received after the restart
   * @param duplicates pending messages received more than once
   * @param reconnectFailures reconnect or resubscribe attempts that failed and were retried
   * @param failureCauses those failures by client error code, e.g. {@code "TIMEOUT × 3"}
   * @param relayCpuSeconds relay CPU (/proc) from listening to the end of the storm
   * @param loadGeneratorCpuSeconds CPU of the load generator's JVM over the same time
   * @param complete whether every client finished before the timeout
   */
  record ReconnectStorm(
      int clients,
      int clientsWithPending,
      int pendingPerClient,
      double restartSeconds,
      double resubscribedSeconds,
      double halfDoneSeconds,
      double stormSeconds,
      int clientsDone,
      long delivered,
      long duplicates,
      long reconnectFailures,
      String failureCauses,
      double relayCpuSeconds,
      double loadGeneratorCpuSeconds,
      boolean complete) {
    /** Relay CPU per reconnected session (TLS, Noise, Subscribe, and the pending pushes). */
    public double relayCpuMillisPerSession() {
      return clients == 0 ? 0 : relayCpuSeconds * 1e3 / clients;
    }

    public double loadGeneratorCpuMillisPerSession() {
      return clients == 0 ? 0 : loadGeneratorCpuSeconds * 1e3 / clients;
    }
  }

  /** Each round's time, in nanoseconds, in run order. */
  record Resubscribe(int queues, List<Long> roundNanos) {
    public double medianMillis() {
      List<Long> sorted = roundNanos.stream().sorted().toList();
      int n = sorted.size();
      if (n == 0) {
        return 0;
      }
      double mid =
          n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
      return mid / 1e6;
    }
  }
}
