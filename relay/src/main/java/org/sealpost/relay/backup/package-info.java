/**
 * Online backups: a consistent snapshot of the store (a RocksDB checkpoint) with the key files it
 * needs, made by the running relay on request through its admin port ({@code POST /backup}) and
 * copied out by {@code sealpost relay backup}. Why this path: docs/decisions.md.
 */
package org.sealpost.relay.backup;
