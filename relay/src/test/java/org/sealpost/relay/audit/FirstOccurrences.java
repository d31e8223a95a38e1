package org.sealpost.relay.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds where each of many byte patterns first occurs in a byte array, in one pass: the patterns
 * are indexed by their first two bytes, so a position is compared only with the patterns that start
 * like it. A cluster's logs at level ALL are tens of megabytes, searched for hundreds of patterns;
 * one pattern at a time took tens of seconds.
 */
final class FirstOccurrences {
  private final List<byte[]> patterns;
  private final int[][] byPrefix = new int[1 << 16][];
  private final List<Integer> shorter = new ArrayList<>();

  FirstOccurrences(List<byte[]> patterns) {
    this.patterns = List.copyOf(patterns);
    for (int k = 0; k < patterns.size(); k++) {
      byte[] p = patterns.get(k);
      if (p.length < 2) {
        shorter.add(k);
      } else {
        int prefix = prefix(p, 0);
        int[] old = byPrefix[prefix];
        int[] grown = old == null ? new int[1] : Arrays.copyOf(old, old.length + 1);
        grown[grown.length - 1] = k;
        byPrefix[prefix] = grown;
      }
    }
  }

  /** The first offset of each pattern in {@code hay}, in the patterns' order; -1 where absent. */
  int[] in(byte[] hay) {
    int[] first = new int[patterns.size()];
    Arrays.fill(first, -1);
    for (int i = 0; i + 1 < hay.length; i++) {
      int[] candidates = byPrefix[prefix(hay, i)];
      if (candidates != null) {
        for (int k : candidates) {
          if (first[k] < 0 && startsAt(hay, i, patterns.get(k))) {
            first[k] = i;
          }
        }
      }
    }
    for (int k : shorter) {
      first[k] = LeakScanner.indexOf(hay, patterns.get(k));
    }
    return first;
  }

  private static int prefix(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }

  private static boolean startsAt(byte[] hay, int at, byte[] pattern) {
    if (at + pattern.length > hay.length) {
      return false;
    }
    for (int j = 2; j < pattern.length; j++) {
      if (hay[at + j] != pattern[j]) {
        return false;
      }
    }
    return true;
  }
}
