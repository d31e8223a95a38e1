package org.sealpost.packaging;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names and label matchers a PromQL expression uses, found without a PromQL parser:
 * enough for the expressions in {@code ops/}, and strict (an identifier it cannot place counts as a
 * metric name, so an unknown one fails the check rather than passing silently).
 */
final class PromQlNames {
  private static final Pattern SELECTOR =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
  private static final Pattern MATCHER =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENTIFIER =
      Pattern.compile("(?<![a-zA-Z0-9_:$.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "bool", "offset", "by", "without", "inf", "nan");

  /** A label matcher {@code label op "value"} of a selector. */
  record Matcher3(String label, String op, String value) {}

  private PromQlNames() {}

  /** Every metric name in {@code expr}. */
  static Set<String> metricNames(String expr) {
    String s = expr.replaceAll("\\{[^}]*}", " ");
    s = STRING.matcher(s).replaceAll(" ");
    s = s.replaceAll("\\[[^]]*]", " ");
    s = GROUPING.matcher(s).replaceAll(" ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      boolean function = m.group(2) != null;
      if (!function && !KEYWORDS.contains(m.group(1).toLowerCase(java.util.Locale.ROOT))) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /** The label matchers of each selector {@code name{...}} in {@code expr}, by metric name. */
  static Map<String, List<Matcher3>> matchers(String expr) {
    Map<String, List<Matcher3>> out = new LinkedHashMap<>();
    Matcher sel = SELECTOR.matcher(expr);
    while (sel.find()) {
      Matcher m = MATCHER.matcher(sel.group(2));
      while (m.find()) {
        out.computeIfAbsent(sel.group(1), k -> new java.util.ArrayList<>())
            .add(new Matcher3(m.group(1), m.group(2), m.group(3)));
      }
    }
    return out;
  }
}
