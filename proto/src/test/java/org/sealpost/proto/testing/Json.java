package org.sealpost.proto.testing;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Minimal, deterministic JSON for the test-vector files: objects (insertion order), arrays,
 * strings, integers and literals. One writer for every generator, so a regenerated file matches its
 * committed copy byte for byte.
 */
public final class Json {
  private final String s;
  private int pos;

  private Json(String s) {
    this.s = s;
  }

  public static Object parse(String text) {
    Json p = new Json(text);
    Object v = p.value();
    p.ws();
    if (p.pos != p.s.length()) {
      throw new IllegalArgumentException("trailing data at " + p.pos);
    }
    return v;
  }

  /** A new object whose keys keep insertion order. */
  public static Map<String, Object> object() {
    return new LinkedHashMap<>();
  }

  /** Lower-case hex, as the vector files use. */
  public static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  /** Writes maps, lists, strings and integers with two-space indentation and a final newline. */
  public static String write(Object value) {
    StringBuilder b = new StringBuilder();
    write(b, value, "");
    return b.append('\n').toString();
  }

  private static void write(StringBuilder b, Object v, String indent) {
    if (v instanceof Map<?, ?> m) {
      b.append("{\n");
      int i = 0;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        b.append(indent).append("  ");
        writeString(b, (String) e.getKey());
        b.append(": ");
        write(b, e.getValue(), indent + "  ");
        b.append(++i < m.size() ? ",\n" : "\n");
      }
      b.append(indent).append('}');
    } else if (v instanceof List<?> l) {
      b.append("[\n");
      for (int i = 0; i < l.size(); i++) {
        b.append(indent).append("  ");
        write(b, l.get(i), indent + "  ");
        b.append(i + 1 < l.size() ? ",\n" : "\n");
      }
      b.append(indent).append(']');
    } else if (v instanceof String str) {
      writeString(b, str);
    } else if (v instanceof Number || v instanceof Boolean) {
      b.append(v);
    } else {
      throw new IllegalArgumentException("cannot write " + v);
    }
  }

  private static void writeString(StringBuilder b, String s) {
    b.append('"');
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c == '\n') {
        b.append("\\n");
      } else if (c < 0x20 || c > 0x7e) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    b.append('"');
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> obj(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  public static List<Object> arr(Object o) {
    return (List<Object>) o;
  }

  private Object value() {
    ws();
    char c = s.charAt(pos);
    switch (c) {
      case '{':
        return parseObject();
      case '[':
        return parseArray();
      case '"':
        return string();
      case 't':
        expect("true");
        return Boolean.TRUE;
      case 'f':
        expect("false");
        return Boolean.FALSE;
      case 'n':
        expect("null");
        return null;
      default:
        return number();
    }
  }

  private Map<String, Object> parseObject() {
    Map<String, Object> m = new LinkedHashMap<>();
    pos++;
    ws();
    if (s.charAt(pos) == '}') {
      pos++;
      return m;
    }
    while (true) {
      ws();
      String k = string();
      ws();
      expect(":");
      m.put(k, value());
      ws();
      char c = s.charAt(pos++);
      if (c == '}') {
        return m;
      }
      if (c != ',') {
        throw new IllegalArgumentException("expected , or } at " + pos);
      }
    }
  }

  private List<Object> parseArray() {
    List<Object> l = new ArrayList<>();
    pos++;
    ws();
    if (s.charAt(pos) == ']') {
      pos++;
      return l;
    }
    while (true) {
      l.add(value());
      ws();
      char c = s.charAt(pos++);
      if (c == ']') {
        return l;
      }
      if (c != ',') {
        throw new IllegalArgumentException("expected , or ] at " + pos);
      }
    }
  }

  private String string() {
    if (s.charAt(pos) != '"') {
      throw new IllegalArgumentException("expected string at " + pos);
    }
    StringBuilder b = new StringBuilder();
    pos++;
    while (true) {
      char c = s.charAt(pos++);
      if (c == '"') {
        return b.toString();
      }
      if (c == '\\') {
        char e = s.charAt(pos++);
        switch (e) {
          case 'n':
            b.append('\n');
            break;
          case 't':
            b.append('\t');
            break;
          case 'u':
            b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
            pos += 4;
            break;
          default:
            b.append(e);
        }
      } else {
        b.append(c);
      }
    }
  }

  private Long number() {
    int start = pos;
    while (pos < s.length() && "-0123456789".indexOf(s.charAt(pos)) >= 0) {
      pos++;
    }
    return Long.parseLong(s.substring(start, pos));
  }

  private void expect(String lit) {
    if (!s.startsWith(lit, pos)) {
      throw new IllegalArgumentException("expected " + lit + " at " + pos);
    }
    pos += lit.length();
  }

  private void ws() {
    while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
      pos++;
    }
  }
}
