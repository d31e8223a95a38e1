package org.sealpost.proto.crypto;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal, deterministic JSON writer for the test-vector files (objects keep insertion order).
 */
final class Json {
  private Json() {}

  static Map<String, Object> object() {
    return new LinkedHashMap<>();
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, "");
    return sb.append('\n').toString();
  }

  private static void write(StringBuilder sb, Object v, String indent) {
    if (v instanceof Map<?, ?> m) {
      sb.append("{\n");
      int i = 0;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        sb.append(indent).append("  ");
        string(sb, (String) e.getKey());
        sb.append(": ");
        write(sb, e.getValue(), indent + "  ");
        sb.append(++i < m.size() ? ",\n" : "\n");
      }
      sb.append(indent).append('}');
    } else if (v instanceof List<?> l) {
      sb.append("[\n");
      for (int i = 0; i < l.size(); i++) {
        sb.append(indent).append("  ");
        write(sb, l.get(i), indent + "  ");
        sb.append(i + 1 < l.size() ? ",\n" : "\n");
      }
      sb.append(indent).append(']');
    } else if (v instanceof String s) {
      string(sb, s);
    } else if (v instanceof Number || v instanceof Boolean) {
      sb.append(v);
    } else {
      throw new IllegalArgumentException("unsupported JSON value " + v);
    }
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
