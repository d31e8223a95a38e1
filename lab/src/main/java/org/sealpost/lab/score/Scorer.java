package org.sealpost.lab.score;

/**
 * Scores an attack's distributions against the ground truth. Ties count fairly: a true recipient
 * tied with e others, below g addresses, is in the top k with probability {@code clamp((k − g) / (e
 * + 1), 0, 1)} (random tie-breaking), so a uniform guess scores exactly k/N.
 */
public final class Scorer {
  private final int k;

  public Scorer(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be positive");
    }
    this.k = k;
  }

  public int k() {
    return k;
  }

  public Scores score(double[][] guesses, int[] truth) {
    if (guesses.length != truth.length) {
      throw new IllegalArgumentException("one guess per message");
    }
    int q = guesses.length;
    if (q == 0) {
      return new Scores(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double top1 = 0;
    double topK = 0;
    double h = 0;
    double h2 = 0;
    int n = guesses[0].length;
    for (int i = 0; i < q; i++) {
      double[] p = guesses[i];
      double pt = p[truth[i]];
      int greater = 0;
      int equal = 0;
      double entropy = 0;
      for (int u = 0; u < n; u++) {
        if (p[u] > pt) {
          greater++;
        } else if (p[u] == pt && u != truth[i]) {
          equal++;
        }
        if (p[u] > 0) {
          entropy -= p[u] * Math.log(p[u]) / Math.log(2);
        }
      }
      top1 += inTop(1, greater, equal);
      topK += inTop(k, greater, equal);
      h += entropy;
      h2 += entropy * entropy;
    }
    top1 /= q;
    topK /= q;
    h /= q;
    double hVar = Math.max(0, h2 / q - h * h);
    return new Scores(
        q,
        top1,
        topK,
        h,
        h / (Math.log(n) / Math.log(2)),
        Math.sqrt(top1 * (1 - top1) / q),
        Math.sqrt(hVar / q));
  }

  static double inTop(int k, int greater, int equal) {
    return Math.max(0, Math.min(1, (double) (k - greater) / (equal + 1)));
  }
}
