package org.sealpost.lab.trace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The network observer's view: per user address, the times of blocks in each direction and the
 * times its connections opened and closed. Times are microseconds (any common origin). Nothing here
 * says which block is a Send, a push, an Ack or cover: the observer sees only blocks.
 */
public final class ObserverTrace {
  private final int users;
  private final long[][] up;
  private final long[][] down;
  private final long[][] opens;
  private final long[][] closes;
  // every downstream block, in time order: for scanning "what follows t"
  private final long[] downTimes;
  private final int[] downUsers;

  private ObserverTrace(int users, long[][] up, long[][] down, long[][] opens, long[][] closes) {
    this.users = users;
    this.up = up;
    this.down = down;
    this.opens = opens;
    this.closes = closes;
    int total = 0;
    for (long[] d : down) {
      total += d.length;
    }
    long[][] pairs = new long[total][];
    int i = 0;
    for (int u = 0; u < users; u++) {
      for (long t : down[u]) {
        pairs[i++] = new long[] {t, u};
      }
    }
    Arrays.sort(pairs, (a, b) -> Long.compare(a[0], b[0]));
    downTimes = new long[total];
    downUsers = new int[total];
    for (int k = 0; k < total; k++) {
      downTimes[k] = pairs[k][0];
      downUsers[k] = (int) pairs[k][1];
    }
  }

  /** Collects events in any order; {@link #build()} sorts them. */
  public static final class Builder {
    private final int users;
    private final List<List<Long>> up = new ArrayList<>();
    private final List<List<Long>> down = new ArrayList<>();
    private final List<List<Long>> opens = new ArrayList<>();
    private final List<List<Long>> closes = new ArrayList<>();

    public Builder(int users) {
      this.users = users;
      for (int u = 0; u < users; u++) {
        up.add(new ArrayList<>());
        down.add(new ArrayList<>());
        opens.add(new ArrayList<>());
        closes.add(new ArrayList<>());
      }
    }

    public Builder up(int user, long t) {
      up.get(user).add(t);
      return this;
    }

    public Builder down(int user, long t) {
      down.get(user).add(t);
      return this;
    }

    public Builder open(int user, long t) {
      opens.get(user).add(t);
      return this;
    }

    public Builder close(int user, long t) {
      closes.get(user).add(t);
      return this;
    }

    public ObserverTrace build() {
      return new ObserverTrace(users, sorted(up), sorted(down), sorted(opens), sorted(closes));
    }

    private static long[][] sorted(List<List<Long>> lists) {
      long[][] out = new long[lists.size()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = lists.get(i).stream().mapToLong(Long::longValue).sorted().toArray();
      }
      return out;
    }
  }

  public int users() {
    return users;
  }

  public long[] up(int user) {
    return up[user];
  }

  public long[] down(int user) {
    return down[user];
  }

  public long[] opens(int user) {
    return opens[user];
  }

  public long[] closes(int user) {
    return closes[user];
  }

  /** Index of the first downstream block (all users) at or after {@code t}. */
  public int firstDownAtOrAfter(long t) {
    int i = Arrays.binarySearch(downTimes, t);
    if (i < 0) {
      return -i - 1;
    }
    while (i > 0 && downTimes[i - 1] == t) {
      i--;
    }
    return i;
  }

  public int downCount() {
    return downTimes.length;
  }

  public long downTime(int index) {
    return downTimes[index];
  }

  public int downUser(int index) {
    return downUsers[index];
  }

  /** The first upstream block of {@code user} at or after {@code t}, or {@code -1}. */
  public long firstUpAtOrAfter(int user, long t) {
    long[] u = up[user];
    int i = Arrays.binarySearch(u, t);
    if (i < 0) {
      i = -i - 1;
    }
    return i < u.length ? u[i] : -1;
  }

  /** Whether {@code user} had a connection open at {@code t}. */
  public boolean online(int user, long t) {
    int opened = countAtOrBefore(opens[user], t);
    int closed = countAtOrBefore(closes[user], t);
    return opened > closed;
  }

  /** Total blocks seen, both directions. */
  public long blocks() {
    long n = 0;
    for (int u = 0; u < users; u++) {
      n += up[u].length + down[u].length;
    }
    return n;
  }

  private static int countAtOrBefore(long[] sorted, long t) {
    int i = Arrays.binarySearch(sorted, t);
    if (i < 0) {
      return -i - 1;
    }
    while (i + 1 < sorted.length && sorted[i + 1] == t) {
      i++;
    }
    return i + 1;
  }
}
