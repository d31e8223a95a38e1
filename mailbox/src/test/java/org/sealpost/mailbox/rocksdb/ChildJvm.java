package org.sealpost.mailbox.rocksdb;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds the command line of a {@link CrashChild} JVM on this test's class path. */
final class ChildJvm {
  private ChildJvm() {}

  static List<String> command(Path data, Path key, String mode, String sync, int threads, int ops) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx128m");
    cmd.add("-XX:TieredStopAtLevel=1"); // starts faster; the child's speed does not matter
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(CrashChild.class.getName());
    cmd.add(data.toString());
    cmd.add(key.toString());
    cmd.add(mode);
    cmd.add(sync);
    cmd.add(Integer.toString(threads));
    cmd.add(Integer.toString(ops));
    return cmd;
  }
}
