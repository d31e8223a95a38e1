package org.sealpost.lab.attack;

import java.util.List;

/**
 * One linking attack: for each query, a probability distribution over the N user addresses (who
 * received the message). To add an attack, implement this in one class and list it in {@link
 * Attacks}.
 */
public interface Attack {
  /** A short stable name, used in reports and on the command line. */
  String name();

  /** Which adversary it models: {@code network} or {@code operator}. */
  String adversary();

  /** Whether the input has the view this attack needs. */
  default boolean applicable(AttackInput input) {
    return input.observer() != null;
  }

  /** One distribution per query (each of length {@code input.users()}, summing to 1). */
  double[][] guess(AttackInput input, List<Query> queries);

  /**
   * Normalizes {@code weights} in place; all-zero becomes uniform over everyone but {@code not}.
   */
  static double[] normalize(double[] weights, int not) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    if (total <= 0 || Double.isNaN(total)) {
      java.util.Arrays.fill(weights, 1.0 / (weights.length - 1));
      weights[not] = 0;
      return weights;
    }
    for (int i = 0; i < weights.length; i++) {
      weights[i] /= total;
    }
    return weights;
  }
}
