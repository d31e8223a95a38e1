package org.sealpost.lab.attack;

import java.util.List;

/** The attacks the lab runs, in report order. Add a new attack here. */
public final class Attacks {
  private Attacks() {}

  public static List<Attack> all() {
    return List.of(
        new TimingCorrelationAttack(),
        new DisclosureAttack(),
        new IntersectionAttack(),
        new OperatorLookupAttack());
  }
}
