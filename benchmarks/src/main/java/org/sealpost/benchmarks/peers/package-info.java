/**
 * Drivers for the systems Sealpost is compared with, each behind {@link
 * org.sealpost.benchmarks.load.PeerDriver}, the control of their start/stop scripts, the raw
 * RocksDB probe, and the command-line entry point of the comparison.
 */
package org.sealpost.benchmarks.peers;
