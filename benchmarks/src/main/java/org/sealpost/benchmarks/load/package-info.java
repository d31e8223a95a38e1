/**
 * Load harness for the peer comparison: the {@link org.sealpost.benchmarks.load.PeerDriver}
 * interface every system under test implements, the W1/W2 workloads, latency recording with
 * coordinated-omission correction, /proc sampling of the server processes, and the JSON, Markdown
 * and PNG report.
 */
package org.sealpost.benchmarks.load;
