package io.github.hidlr.cli.bench;

import java.util.List;
import java.util.Map;

/** A minimal JSON writer for the benchmark's flat records (no dependency on a JSON library). */
final class Json {

  private Json() {}

  /**
   * Writes a value: maps as objects (insertion order), lists as arrays, numbers (non-finite
   * ones as {@code null}), booleans, and everything else as a string.
   *
   * @param value the value
   * @param indent the current indentation
   * @return the JSON text
   */
  static String write(Object value, String indent) {
    StringBuilder out = new StringBuilder();
    append(out, value, indent);
    return out.toString();
  }

  private static void append(StringBuilder out, Object value, String indent) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Map<?, ?> map) {
      String inner = indent + "  ";
      out.append("{");
      boolean first = true;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        out.append(first ? "\n" : ",\n").append(inner);
        string(out, String.valueOf(entry.getKey()));
        out.append(": ");
        append(out, entry.getValue(), inner);
        first = false;
      }
      out.append(first ? "}" : "\n" + indent + "}");
    } else if (value instanceof List<?> list) {
      String inner = indent + "  ";
      out.append("[");
      for (int i = 0; i < list.size(); i++) {
        out.append(i == 0 ? "\n" : ",\n").append(inner);
        append(out, list.get(i), inner);
      }
      out.append(list.isEmpty() ? "]" : "\n" + indent + "]");
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      out.append(Double.isFinite(d) ? Double.toString(d) : "null");
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else {
      string(out, value.toString());
    }
  }

  private static void string(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
