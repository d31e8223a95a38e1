package org.sealpost.lab.model;

/**
 * The simulated population, all in one place (documented in {@code docs/leakage-lab.md}).
 *
 * @param users N, each with one mailbox and one connection from its own loopback address
 * @param seconds length of the measured run
 * @param seed everything random in the workload derives from it
 * @param contacts regular contacts per user (chosen by skewed popularity)
 * @param zipfExponent popularity of user of popularity rank r is proportional to 1/r^s
 * @param sendIntervalSeconds mean time between a user's sends while online (Poisson)
 * @param alwaysOnline fraction of users online for the whole run
 * @param sessionSeconds mean online and mean offline period of the other users (exponential)
 */
public record WorkloadParams(
    int users,
    double seconds,
    long seed,
    int contacts,
    double zipfExponent,
    double sendIntervalSeconds,
    double alwaysOnline,
    double sessionSeconds) {

  public WorkloadParams {
    if (users < 3) {
      throw new IllegalArgumentException("at least 3 users");
    }
    if (contacts < 1 || contacts >= users) {
      throw new IllegalArgumentException("contacts must be 1..users-1");
    }
    if (seconds <= 0 || sendIntervalSeconds <= 0 || sessionSeconds <= 0) {
      throw new IllegalArgumentException("durations must be positive");
    }
    if (alwaysOnline < 0 || alwaysOnline > 1) {
      throw new IllegalArgumentException("alwaysOnline must be in [0, 1]");
    }
  }

  /** The documented defaults for {@code users}, {@code seconds} and {@code seed}. */
  public static WorkloadParams defaults(int users, double seconds, long seed) {
    return new WorkloadParams(users, seconds, seed, 3, 1.0, 20, 0.7, 30);
  }

  public WorkloadParams withSeed(long s) {
    return new WorkloadParams(
        users,
        seconds,
        s,
        contacts,
        zipfExponent,
        sendIntervalSeconds,
        alwaysOnline,
        sessionSeconds);
  }
}
