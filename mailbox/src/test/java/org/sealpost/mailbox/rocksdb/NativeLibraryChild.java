package org.sealpost.mailbox.rocksdb;

import org.sealpost.mailbox.MailboxException;

/**
 * A JVM that loads RocksDB's native library as a relay does, says how, and waits for its stdin to
 * close (or to be killed): {@link NativeLibraryFallbackIT}.
 */
public final class NativeLibraryChild {
  private NativeLibraryChild() {}

  public static void main(String[] args) throws Exception {
    try {
      System.out.println("loaded from " + NativeLibrary.load());
      System.out.println("ready: RocksDB " + org.rocksdb.RocksDB.rocksdbVersion());
    } catch (MailboxException e) {
      System.out.println("refused: " + e.getMessage());
      return;
    }
    System.out.flush();
    System.in.read(); // until the test closes it or kills this process
  }
}
