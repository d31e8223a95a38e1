package org.sealpost.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlNamesTest {
  @Test
  void findsMetricNamesButNotFunctionsLabelsOrDurations() {
    String expr =
        "sum by (job, instance) (rate(a_total{outcome=\"store\"}[5m])) > 0.2 * sum without (x)"
            + " (b_open) and on (instance) c unless absent(up{job=\"sealpost\"}) offset 1h";
    assertThat(PromQlNames.metricNames(expr))
        .containsExactlyInAnyOrder("a_total", "b_open", "c", "up");
  }

  @Test
  void anUnknownIdentifierCountsAsAMetricName() {
    assertThat(PromQlNames.metricNames("rate(jvm_memory_used_bytes[$__rate_interval])"))
        .containsExactly("jvm_memory_used_bytes");
  }

  @Test
  void readsTheMatchersOfEachSelector() {
    var matchers = PromQlNames.matchers("x_total{job=\"$job\",outcome!=\"ok\", reason=~\"a|b\"}");
    assertThat(matchers).containsOnlyKeys("x_total");
    assertThat(matchers.get("x_total"))
        .containsExactly(
            new PromQlNames.Matcher3("job", "=", "$job"),
            new PromQlNames.Matcher3("outcome", "!=", "ok"),
            new PromQlNames.Matcher3("reason", "=~", "a|b"));
  }
}
